import { z } from "zod";
import { accountIdSchema, bucketNameSchema, kmsKeyArnSchema, permissionSetNameSchema, prefixSchema, regionSchema } from "@/lib/policy/schemas";

// Control and format characters (zero-width, bidirectional, tag characters, soft
// hyphen), line and paragraph separators, Hangul fillers and variation selectors:
// all can hide or reorder text in front of a reviewer. Tab and newline are allowed.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

export function hasHiddenCharacters(value: string): boolean {
  return HIDDEN_CHARACTERS.test(value.replace(/[\t\n]/g, ""));
}

/** Free text from a form: browsers send line breaks as CRLF, stored here as LF. */
function plainText(field: string, min: number, max: number) {
  return z
    .string({ error: `${field} is missing.` })
    .overwrite((value) => value.replace(/\r\n?/g, "\n"))
    .trim()
    .min(min, min === 1 ? `${field} must not be empty.` : `${field} must be at least ${min} characters.`)
    .max(max, `${field} must be at most ${max} characters.`)
    .refine((value) => !hasHiddenCharacters(value), `${field} must not contain control or invisible characters.`);
}

/**
 * Parses a whole number typed in decimal digits. `z.coerce.number()` would also take
 * "0x10", "1e1" or "+5", which a person reading the form never meant.
 */
function wholeNumber(message: string) {
  return z.preprocess(
    (value) => (typeof value === "number" ? String(value) : value),
    z
      .string({ error: message })
      .trim()
      .regex(/^[0-9]{1,6}$/, message)
      .transform(Number),
  );
}

export const uuidSchema = z.uuid("Must be a valid id.");

export const createRequestSchema = z.object({
  datasetId: uuidSchema,
  accessLevel: z.enum(["READ", "READ_WRITE"], { error: "Access level must be read or read-write." }),
  durationHours: wholeNumber("Period must be a whole number of hours, such as 8.").pipe(z.number().min(1, "Period must be at least 1 hour.")),
  justification: plainText("Justification", 10, 2000),
});

export const cancelRequestSchema = z.object({ requestId: uuidSchema });

export const decideRequestSchema = z
  .object({
    requestId: uuidSchema,
    decision: z.enum(["APPROVE", "REJECT"], { error: "Decision must be approve or reject." }),
    comment: z
      .string()
      .overwrite((text) => text.replace(/\r\n?/g, "\n"))
      .trim()
      .max(1000, "Comment must be at most 1000 characters."),
  })
  .superRefine((value, context) => {
    if (hasHiddenCharacters(value.comment)) {
      context.addIssue({ code: "custom", path: ["comment"], message: "Comment must not contain control or invisible characters." });
    }
    if (value.decision === "REJECT" && value.comment.length === 0) {
      context.addIssue({ code: "custom", path: ["comment"], message: "Comment must say why the request is rejected." });
    }
  });

export const revokeGrantSchema = z.object({
  grantId: uuidSchema,
  comment: plainText("Reason", 3, 1000),
});

// An empty field of a GET form arrives as "", which means "no filter".
function optionalFilter<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
}

export const retryGrantSchema = z.object({ grantId: uuidSchema });

export const auditFilterSchema = z.object({
  action: optionalFilter(z.string().max(100, "Action must be at most 100 characters.")),
  subjectId: optionalFilter(z.string().max(100, "Subject id must be at most 100 characters.")),
  actorEmail: optionalFilter(z.string().max(254, "Actor email must be at most 254 characters.")),
  from: optionalFilter(z.iso.date("From must be a date such as 2026-12-04.")),
  to: optionalFilter(z.iso.date("To must be a date such as 2026-12-04.")),
});

export const registerDatasetSchema = z
  .object({
    name: plainText("Name", 3, 100),
    description: z.string().trim().max(500, "Description must be at most 500 characters.").default(""),
    bucketName: bucketNameSchema,
    bucketRegion: regionSchema,
    prefix: prefixSchema,
    kmsKeyArn: kmsKeyArnSchema,
    consumerAccountId: accountIdSchema,
    maxDurationHours: wholeNumber("must be a whole number of hours").pipe(z.number().min(1, "must be at least 1 hour").max(24 * 90, "must be at most 2160 hours (90 days)")),
    readPermissionSetName: permissionSetNameSchema,
    readWritePermissionSetName: permissionSetNameSchema,
    sessionDurationHours: wholeNumber("must be a whole number of hours").pipe(z.number().min(1, "must be 1 to 12 hours").max(12, "must be 1 to 12 hours")),
  })
  .superRefine((value, context) => {
    const region = /^arn:[^:]+:kms:([^:]+):/.exec(value.kmsKeyArn)?.[1];
    if (value.readPermissionSetName === value.readWritePermissionSetName) {
      context.addIssue({ code: "custom", path: ["readWritePermissionSetName"], message: "must differ from the permission set for read, or readers would get write access" });
    }
    if (region && region !== value.bucketRegion) {
      context.addIssue({ code: "custom", path: ["kmsKeyArn"], message: `must be a key in the bucket's Region ${value.bucketRegion}; use the replica of a multi-Region key` });
    }
  });
