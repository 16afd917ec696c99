import { describe, expect, it } from "vitest";
import {
  accountIdSchema,
  bucketNameSchema,
  kmsKeyArnSchema,
  permissionSetNameSchema,
  prefixSchema,
  sessionDurationSchema,
} from "@/lib/policy";
import type { ZodType } from "zod";

function firstMessage(schema: ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? "");
}

describe("prefixSchema", () => {
  it.each(["client-data/", "client-data/audit-reports/", "Prüfung 2026/", "a/", "reports_(final)/"])("accepts %j", (prefix) => {
    expect(firstMessage(prefixSchema, prefix)).toBeNull();
  });

  it.each([
    ["", "must not be empty"],
    ["client-data", "must end with \"/\""],
    ["/client-data/", "must not start with \"/\""],
    ["client-*/", "\"*\" or \"?\""],
    ["client-?/", "\"*\" or \"?\""],
    ["${aws:username}/", "\"$\""],
    ["client$data/", "\"$\""],
    ["client/../secret/", "\"..\""],
    ["client//data/", "empty folder name"],
    ["./client/", "\".\" folder"],
    ["client\u0000data/", "control or invisible"],
    ["client\ndata/", "control or invisible"],
    ["client\u200bdata/", "control or invisible"],
    ["client\u202edata/", "control or invisible"],
    ["client\u00a0data/", "control or invisible"],
    ["client\ufeffdata/", "control or invisible"],
    ["客户/", "may contain only letters"],
    ["client#data/", "may contain only letters"],
    ["client\"data/", "may contain only letters"],
    [`${"a".repeat(1024)}/`, "at most 1024 bytes"],
  ])("rejects %j", (prefix, message) => {
    expect(firstMessage(prefixSchema, prefix)).toContain(message);
  });

  it("reports a missing prefix as missing", () => {
    expect(firstMessage(prefixSchema, undefined)).toBe("is missing");
  });
});

describe("bucketNameSchema", () => {
  it.each(["felix-bucket-123456-xyz", "abc", "my.bucket.name", "a".repeat(63)])("accepts %j", (name) => {
    expect(firstMessage(bucketNameSchema, name)).toBeNull();
  });

  it.each([
    ["ab", "3 to 63 characters"],
    ["a".repeat(64), "3 to 63 characters"],
    ["Felix-Bucket", "lowercase letters"],
    ["felix_bucket", "lowercase letters"],
    ["-felix", "start and end"],
    ["felix.", "start and end"],
    ["felix..bucket", "two adjacent periods"],
    ["192.168.5.4", "IP address"],
    ["xn--bucket", "must not start with"],
    ["sthree-bucket", "must not start with"],
    ["bucket-s3alias", "must not end with"],
    ["bucket--ol-s3", "must not end with"],
  ])("rejects %j", (name, message) => {
    expect(firstMessage(bucketNameSchema, name)).toContain(message);
  });
});

describe("accountIdSchema", () => {
  it("accepts twelve digits", () => {
    expect(firstMessage(accountIdSchema, "418649672840")).toBeNull();
  });

  it.each(["41864967284", "4186496728400", "41864967284a", " 418649672840"])("rejects %j", (value) => {
    expect(firstMessage(accountIdSchema, value)).toContain("12-digit AWS account ID");
  });

  it("rejects a number with the expected type named", () => {
    expect(firstMessage(accountIdSchema, 418649672840)).toContain("as a string");
  });
});

describe("kmsKeyArnSchema", () => {
  it.each([
    "arn:aws:kms:us-east-2:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e",
    "arn:aws:kms:eu-west-1:418649672840:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws-us-gov:kms:us-gov-west-1:418649672840:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  ])("accepts %s", (arn) => {
    expect(firstMessage(kmsKeyArnSchema, arn)).toBeNull();
  });

  it.each([
    ["arn:aws:kms:us-east-2:418649672840:alias/audit", "not an alias ARN"],
    ["mrk-5382d625177c4eb6839afe8ede6bf67e", "full key ARN"],
    ["arn:aws:kms:us-east-2:418649672840:key/not-a-key-id", "must be a KMS key ARN"],
    ["arn:aws:s3:::felix-bucket-123456-xyz", "must be a KMS key ARN"],
  ])("rejects %s", (arn, message) => {
    expect(firstMessage(kmsKeyArnSchema, arn)).toContain(message);
  });
});

describe("permissionSetNameSchema", () => {
  it.each(["CrossAccountS3Access", "a", "Audit+Read=1,x.y@z-w_v", "x".repeat(32)])("accepts %j", (name) => {
    expect(firstMessage(permissionSetNameSchema, name)).toBeNull();
  });

  it.each(["", "x".repeat(33), "Cross Account", "Cross*", "Cross?", "Cross/Access"])("rejects %j", (name) => {
    expect(firstMessage(permissionSetNameSchema, name)).toContain("1 to 32 characters");
  });
});

describe("sessionDurationSchema", () => {
  it.each(["PT1H", "PT12H", "PT2H30M", "PT60M", "PT3600S"])("accepts %s", (duration) => {
    expect(firstMessage(sessionDurationSchema, duration)).toBeNull();
  });

  it.each([
    ["PT59M", "between 1 hour"],
    ["PT12H1S", "between 1 hour"],
    ["PT13H", "between 1 hour"],
    ["1h", "ISO 8601 duration"],
    ["P1D", "ISO 8601 duration"],
    ["PT", "ISO 8601 duration"],
  ])("rejects %s", (duration, message) => {
    expect(firstMessage(sessionDurationSchema, duration)).toContain(message);
  });
});
