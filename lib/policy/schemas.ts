import { z } from "zod";

/** Error map for a wrong type: "is missing" when the field is absent, else the given message. */
function required(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is missing" : message);
}

// Control, format (zero-width, bidirectional) and separator characters other
// than the plain space, which a reader cannot see or tell apart.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;
// Letters and digits (Latin-1 letters included), space and the punctuation S3
// lists as safe in object keys. IAM Identity Center accepts only Latin-1
// characters in an inline policy, so a prefix cannot go beyond U+00FF.
const PREFIX_CHARACTERS = /^[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff !\-_.'()&@=;:+,/]+$/;
const PREFIX_MAX_BYTES = 1024;

export const prefixSchema = z
  .string({ error: required("must be a string such as \"client-data/\"") })
  .min(1, "must not be empty: use a folder name ending in \"/\", such as \"client-data/\"")
  .refine((value) => !INVISIBLE.test(value), "must not contain control or invisible characters")
  .refine((value) => !value.includes("*") && !value.includes("?"), "must not contain \"*\" or \"?\", which are wildcards in policies")
  .refine((value) => !value.includes("$"), "must not contain \"$\", which starts a policy variable such as ${aws:username}")
  .refine((value) => !value.startsWith("/"), "must not start with \"/\": write \"client-data/\", not \"/client-data/\"")
  .refine((value) => value.endsWith("/"), "must end with \"/\", such as \"client-data/\"")
  .refine((value) => !value.includes(".."), "must not contain \"..\"")
  .refine((value) => !value.includes("//"), "must not contain an empty folder name (\"//\")")
  .refine((value) => !value.split("/").includes("."), "must not contain a \".\" folder")
  .refine(
    (value) => PREFIX_CHARACTERS.test(value),
    "may contain only letters, digits, spaces, \"/\" and the characters ! - _ . ' ( ) & @ = ; : + ,",
  )
  .refine((value) => new TextEncoder().encode(value).length <= PREFIX_MAX_BYTES, `must be at most ${PREFIX_MAX_BYTES} bytes`);

const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export const bucketNameSchema = z
  .string({ error: required("must be a string") })
  .min(3, "must be 3 to 63 characters long")
  .max(63, "must be 3 to 63 characters long")
  .regex(/^[a-z0-9.-]+$/, "may contain only lowercase letters, digits, \".\" and \"-\"")
  .regex(/^[a-z0-9].*[a-z0-9]$/, "must start and end with a lowercase letter or digit")
  .refine((value) => !value.includes(".."), "must not contain two adjacent periods")
  .refine((value) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(value), "must not be formatted as an IP address")
  .refine(
    (value) => !BUCKET_RESERVED_PREFIXES.some((prefix) => value.startsWith(prefix)),
    `must not start with ${BUCKET_RESERVED_PREFIXES.map((prefix) => `"${prefix}"`).join(", ")}`,
  )
  .refine(
    (value) => !BUCKET_RESERVED_SUFFIXES.some((suffix) => value.endsWith(suffix)),
    `must not end with ${BUCKET_RESERVED_SUFFIXES.map((suffix) => `"${suffix}"`).join(", ")}`,
  );

export const accountIdSchema = z
  .string({ error: required("must be a 12-digit AWS account ID as a string, such as \"533267321107\"") })
  .regex(/^\d{12}$/, "must be a 12-digit AWS account ID, such as \"533267321107\"");

export const regionSchema = z
  .string({ error: required("must be an AWS Region code such as \"us-east-2\"") })
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS Region code such as \"us-east-2\"");

const KEY_ID = "(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
export const KMS_KEY_ARN_PATTERN = new RegExp(
  `^arn:(aws|aws-cn|aws-us-gov):kms:([a-z]{2}(?:-[a-z]+)+-\\d+):(\\d{12}):key/(${KEY_ID})$`,
);

// NOTE: an ARN cannot tell a customer managed key from an AWS managed key;
// registering a dataset must check KeyManager with DescribeKey.
export const kmsKeyArnSchema = z
  .string({ error: required("must be a KMS key ARN string") })
  .refine((value) => !/^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(value), "must be a key ARN, not an alias ARN; S3 resolves an alias in the uploader's account")
  .refine((value) => value.startsWith("arn:"), "must be the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), not a key ID")
  .refine(
    (value) => KMS_KEY_ARN_PATTERN.test(value),
    "must be a KMS key ARN such as arn:aws:kms:us-east-2:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e",
  );

// IAM Identity Center allows 1 to 32 characters from [\w+=,.@-]. The role it
// creates is AWSReservedSSO_<name>_<16 characters>, at most 64 characters.
export const permissionSetNameSchema = z
  .string({ error: required("must be a string") })
  .regex(/^[\w+=,.@-]{1,32}$/, "must be 1 to 32 characters: letters, digits and + = , . @ _ -");

const SESSION_MIN_SECONDS = 3600;
const SESSION_MAX_SECONDS = 12 * 3600;

/** Parses an ISO 8601 duration of hours, minutes and seconds ("PT1H", "PT2H30M"); null if malformed. */
export function durationSeconds(value: string): number | null {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  if (!match || value === "PT") return null;
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** Session duration of a permission set, as IAM Identity Center takes it: ISO 8601, 1 to 12 hours. */
export const sessionDurationSchema = z
  .string({ error: required("must be an ISO 8601 duration string such as \"PT1H\"") })
  .refine((value) => durationSeconds(value) !== null, "must be an ISO 8601 duration such as \"PT1H\" or \"PT2H30M\"")
  .refine((value) => {
    const seconds = durationSeconds(value);
    return seconds === null || (seconds >= SESSION_MIN_SECONDS && seconds <= SESSION_MAX_SECONDS);
  }, "must be between 1 hour (PT1H) and 12 hours (PT12H)");

// Identity Store user IDs: a UUID, optionally preceded by 10 hex digits and "-".
export const identityStoreUserIdSchema = z
  .string({ error: required("must be a string") })
  .regex(
    /^(?:[0-9a-f]{10}-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    "must be an Identity Store user ID such as \"9067a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d\", because user names can be renamed and IDs cannot",
  );

const livePolicySchema = z.union([z.string(), z.looseObject({})], {
  error: required("must be a policy document (JSON object or JSON string)"),
});

export const accessLevelSchema = z.enum(["read", "read-write"], { error: required("must be \"read\" or \"read-write\"") });

export const grantSchema = z.object(
  {
    consumerAccountId: accountIdSchema,
    permissionSetName: permissionSetNameSchema,
    access: accessLevelSchema,
  },
  { error: required("must be an object with consumerAccountId, permissionSetName and access") },
);

export const planInputSchema = z.object({
  bucket: z.object({
    name: bucketNameSchema,
    region: regionSchema,
    accountId: accountIdSchema,
    bucketKeyEnabled: z.boolean({ error: required("must be true or false") }),
    policy: livePolicySchema.nullable(),
  }, { error: required("must be an object") }),
  key: z.object({ arn: kmsKeyArnSchema, policy: livePolicySchema }, { error: required("must be an object") }),
  datasets: z.array(
    z.object({
      prefix: prefixSchema,
      grants: z.array(grantSchema, { error: required("must be an array of grants") }),
    }, { error: required("must be an object with prefix and grants") }),
    { error: required("must be an array of datasets") },
  ),
  revokedSessions: z
    .array(
      z.object({
        userId: identityStoreUserIdSchema,
        consumerAccountId: accountIdSchema,
        permissionSetName: permissionSetNameSchema,
        prefix: prefixSchema,
        issuedBefore: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time such as \"2026-12-04T10:15:00Z\"" }),
      }),
      { error: required("must be an array") },
    )
    .optional(),
  livePermissionSetPolicies: z
    .record(permissionSetNameSchema, livePolicySchema.nullable(), { error: required("must be an object keyed by permission set name") })
    .optional(),
  replaceEditedStatements: z.boolean({ error: required("must be true or false") }).optional(),
}, { error: required("must be a JSON object with bucket, key and datasets") });

/** Formats a zod issue path the way plan errors name fields: `datasets[0].prefix`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let field = "";
  for (const part of path) {
    if (typeof part === "number") field += `[${part}]`;
    else field += field === "" ? String(part) : `.${String(part)}`;
  }
  return field === "" ? "input" : field;
}
