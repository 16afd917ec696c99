import { describe, expect, it } from "vitest";
import { liveDocuments, planPolicies, proveAccess, type ProofMatrix, type ProofRow } from "@/lib/policy";
import { CONSUMER, guideInput, READ_SET, READ_WRITE_SET, SECOND_CONSUMER, seedInput, twoByTwoInput } from "./fixtures/scenario";

const CONSUMER_ROLE = `role of permission set ${READ_WRITE_SET} in account ${CONSUMER}`;
const OTHER_ROLE = `another role in account ${CONSUMER} (permission set ${READ_WRITE_SET}_Admin, full IAM permissions)`;
const THIRD_ACCOUNT = "role in third account 111122223333 (full IAM permissions)";

function summary(row: ProofRow) {
  return [row.principal.label, row.action, row.description, row.actual, row.decidedBy.join(" + ")];
}

function find(matrix: ProofMatrix, label: string, action: string, description: string): ProofRow {
  const row = matrix.rows.find((candidate) => candidate.principal.label === label && candidate.action === action && candidate.description === description);
  if (!row) throw new Error(`no row for ${label} ${action} ${description}`);
  return row;
}

describe("proveAccess seed scenario", async () => {
  const input = seedInput();
  const matrix = await proveAccess(input, planPolicies(input));

  it("proves every expected outcome", () => {
    expect(matrix.rows.filter((row) => !row.ok)).toEqual([]);
    expect(matrix.ok).toBe(true);
    expect(matrix.simulator).toBe("@cloud-copilot/iam-simulate 0.1.173");
  });

  it("gives the exact matrix with the deciding statements", () => {
    const identity = (kind: string) => `AccessPortal${kind}FelixBucket123456Xyz4c42dc10`;
    const objects = "AccessPortalReadWriteObjectsClientData1e7ac102";
    const keyUse = "AccessPortalReadWriteKeyUseClientDatadf5fe47a";
    const outsiderRows = (label: string) => [
      [label, "s3:ListBucket", "list the prefix client-data/", "denied", "implicit deny"],
      [label, "s3:GetObject", "download an object under the prefix", "denied", "implicit deny"],
      [label, "s3:PutObject", "upload under the prefix", "denied", "implicit deny"],
      [label, "kms:Decrypt", "decrypt through S3", "denied", "implicit deny"],
      [label, "kms:GenerateDataKey", "generate a data key through S3", "denied", "implicit deny"],
    ];
    expect(matrix.rows.map(summary)).toEqual([
      [CONSUMER_ROLE, "s3:ListBucket", "list the prefix client-data/", "allowed", `${identity("ListPrefixes")} + AccessPortalReadWriteListClientData1e7ac102`],
      [CONSUMER_ROLE, "s3:ListBucket", "list the bucket root", "denied", "implicit deny"],
      [CONSUMER_ROLE, "s3:ListBucket", "list another prefix (internal-files/)", "denied", "implicit deny"],
      [CONSUMER_ROLE, "s3:GetObject", "download an object under the prefix", "allowed", `${identity("GetObjects")} + ${objects}`],
      [CONSUMER_ROLE, "s3:PutObject", "upload without encryption headers (bucket default key)", "allowed", `${identity("PutObjects")} + ${objects}`],
      [CONSUMER_ROLE, "s3:PutObject", "upload naming the dataset's KMS key", "allowed", `${identity("PutObjects")} + ${objects}`],
      [CONSUMER_ROLE, "s3:PutObject", "upload naming another KMS key", "denied", "AccessPortalDenyOtherKmsKey"],
      [CONSUMER_ROLE, "s3:PutObject", "upload with SSE-S3 (AES256)", "denied", "AccessPortalDenyOtherEncryption"],
      [CONSUMER_ROLE, "s3:PutObject", "upload with a customer-provided key (SSE-C)", "denied", "AccessPortalDenyCustomerProvidedKeys"],
      [CONSUMER_ROLE, "s3:DeleteObject", "delete an object under the prefix", "denied", "implicit deny"],
      [CONSUMER_ROLE, "s3:GetObject", "download an object under another prefix (internal-files/)", "denied", "implicit deny"],
      [CONSUMER_ROLE, "s3:GetObject", "download over plain HTTP", "denied", "AccessPortalDenyInsecureTransport"],
      [CONSUMER_ROLE, "kms:Decrypt", "decrypt through S3 (download)", "allowed", `${identity("KeyViaS3")} + ${keyUse}`],
      [CONSUMER_ROLE, "kms:GenerateDataKey", "generate a data key through S3 (upload)", "allowed", `${identity("KeyViaS3")} + ${keyUse}`],
      [CONSUMER_ROLE, "kms:Decrypt", "decrypt through S3 an object under another prefix (internal-files/)", "denied", "implicit deny"],
      [CONSUMER_ROLE, "kms:Decrypt", "decrypt with the key directly, not through S3", "denied", "implicit deny"],
      [CONSUMER_ROLE, "kms:GenerateDataKey", "generate a data key directly, not through S3", "denied", "implicit deny"],
      ...outsiderRows(OTHER_ROLE),
      ...outsiderRows(THIRD_ACCOUNT),
    ]);
  });

  it("names the documents without a matching Allow", () => {
    expect(find(matrix, CONSUMER_ROLE, "s3:DeleteObject", "delete an object under the prefix").missingAllowIn).toEqual([
      `inline policy of permission set ${READ_WRITE_SET}`,
      "bucket policy",
    ]);
    expect(find(matrix, OTHER_ROLE, "s3:GetObject", "download an object under the prefix").missingAllowIn).toEqual(["bucket policy"]);
    expect(find(matrix, THIRD_ACCOUNT, "kms:Decrypt", "decrypt through S3").missingAllowIn).toEqual(["key policy"]);
  });

  it("uses the role ARNs IAM Identity Center creates", () => {
    const row = matrix.rows[0] as ProofRow;
    expect(row.principal.arn).toMatch(
      new RegExp(`^arn:aws:iam::${CONSUMER}:role/aws-reserved/sso\\.amazonaws\\.com/us-east-2/AWSReservedSSO_${READ_WRITE_SET}_[0-9a-f]{16}$`),
    );
    expect(row.context["aws:PrincipalArn"]).toBe(row.principal.arn);
  });

  it("is JSON that survives a round trip", () => {
    expect(JSON.parse(JSON.stringify(matrix))).toEqual(matrix);
  });
});

describe("proveAccess two prefixes, two consumers, both levels", async () => {
  const input = twoByTwoInput();
  const matrix = await proveAccess(input, planPolicies(input));

  it("proves every row of the eight grants", () => {
    expect(matrix.rows.filter((row) => !row.ok).map(summary)).toEqual([]);
    // 23 rows for a read grant and 27 for a read-write grant, four of each.
    expect(matrix.rows).toHaveLength(4 * 23 + 4 * 27);
    const grants = new Set(matrix.rows.map((row) => JSON.stringify(row.grant)));
    expect(grants.size).toBe(8);
  });

  it("denies uploads to read grants", () => {
    const readRole = `role of permission set ${READ_SET} in account ${SECOND_CONSUMER}`;
    const rows = matrix.rows.filter((row) => row.principal.label === readRole && row.grant?.prefix === "reports/");
    const upload = rows.find((row) => row.action === "s3:PutObject");
    const dataKey = rows.find((row) => row.description === "generate a data key through S3 (upload)");
    expect(upload).toMatchObject({ expected: "denied", actual: "denied", decidedBy: ["implicit deny"] });
    expect(upload?.missingAllowIn).toEqual([`inline policy of permission set ${READ_SET}`, "bucket policy"]);
    expect(dataKey).toMatchObject({ expected: "denied", actual: "denied" });
  });

  it("reads another prefix of the same set", () => {
    const readRole = `role of permission set ${READ_SET} in account ${CONSUMER}`;
    const row = matrix.rows.find((candidate) => candidate.principal.label === readRole && candidate.grant?.prefix === "client-data/" && candidate.action === "s3:GetObject" && candidate.description === "download an object under the prefix");
    expect(row?.decidedBy).toEqual(["AccessPortalGetObjectsFelixBucket123456Xyz4c42dc10", "AccessPortalReadObjectsClientData1e7ac102"]);
  });
});

describe("proveAccess variants", () => {
  it("proves S3 Bucket Key contexts", async () => {
    const input = seedInput();
    input.bucket.bucketKeyEnabled = true;
    const matrix = await proveAccess(input, planPolicies(input));
    expect(matrix.rows.filter((row) => !row.ok)).toEqual([]);
    const older = find(matrix, CONSUMER_ROLE, "kms:Decrypt", "decrypt through S3 an object written before S3 Bucket Keys were on");
    expect(older.actual).toBe("allowed");
    expect(find(matrix, CONSUMER_ROLE, "kms:Decrypt", "decrypt through S3 (download)").context["kms:EncryptionContext:aws:s3:arn"]).toBe(
      "arn:aws:s3:::felix-bucket-123456-xyz",
    );
  });

  it("proves roles of a us-east-1 Identity Center", async () => {
    const input = seedInput();
    const matrix = await proveAccess(input, planPolicies(input), { identityCenterRegion: "us-east-1" });
    expect(matrix.ok).toBe(true);
    expect(matrix.rows[0]?.principal.arn).toMatch(/sso\.amazonaws\.com\/AWSReservedSSO_/);
  });

  it("denies a revoked person's older session", async () => {
    const input = seedInput();
    const userId = "9067a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
    input.revokedSessions = [{ userId, consumerAccountId: CONSUMER, permissionSetName: READ_WRITE_SET, prefix: "client-data/", issuedBefore: "2026-12-04T10:15:00Z" }];
    const matrix = await proveAccess(input, planPolicies(input));
    expect(matrix.ok).toBe(true);
    const row = matrix.rows.at(-1) as ProofRow;
    expect(row.grant).toBeNull();
    expect(row.context).toMatchObject({ "identitystore:UserId": userId, "aws:TokenIssueTime": "2026-12-04T10:14:00Z" });
    expect(row.actual).toBe("denied");
    expect(row.decidedBy[0]).toMatch(/^AccessPortalRevokedSessionClientData[0-9a-f]{8}$/);
  });

  it("fails rows when a permission set policy is missing", async () => {
    const input = seedInput();
    const plan = planPolicies(input);
    const matrix = await proveAccess(input, { ...plan, permissionSetPolicies: {} });
    expect(matrix.ok).toBe(false);
    expect(find(matrix, CONSUMER_ROLE, "s3:GetObject", "download an object under the prefix")).toMatchObject({
      actual: "denied",
      missingAllowIn: [`inline policy of permission set ${READ_WRITE_SET}`],
      ok: false,
    });
  });
});

describe("proveAccess on the guide's policies", async () => {
  const input = guideInput();
  const matrix = await proveAccess(input, liveDocuments(input));

  it("fails the proof", () => {
    expect(matrix.ok).toBe(false);
  });

  it("shows uploads denied by the key policy", () => {
    const row = find(matrix, CONSUMER_ROLE, "kms:GenerateDataKey", "generate a data key through S3 (upload)");
    expect(row).toMatchObject({ expected: "allowed", actual: "denied", decidedBy: ["implicit deny"], missingAllowIn: ["key policy"], ok: false });
    // S3 allows the PutObject itself, so the upload fails only at the key.
    expect(find(matrix, CONSUMER_ROLE, "s3:PutObject", "upload without encryption headers (bucket default key)").actual).toBe("allowed");
  });

  it("shows root trust admitting another role", () => {
    const download = find(matrix, OTHER_ROLE, "s3:GetObject", "download an object under the prefix");
    expect(download).toMatchObject({ expected: "denied", actual: "allowed", ok: false });
    expect(download.decidedBy).toEqual(["AdministratorAccess statement 1", "AllowAccountBRoleAccessToClientDataFolder"]);
    expect(find(matrix, OTHER_ROLE, "s3:ListBucket", "list the prefix client-data/")).toMatchObject({ actual: "allowed", ok: false });
    expect(find(matrix, OTHER_ROLE, "kms:Decrypt", "decrypt through S3")).toMatchObject({ actual: "allowed", decidedBy: ["AdministratorAccess statement 1", "AllowAccountBToUseKey"] });
  });

  it("shows the key usable outside S3 and outside the prefix", () => {
    expect(find(matrix, CONSUMER_ROLE, "kms:Decrypt", "decrypt with the key directly, not through S3")).toMatchObject({ actual: "allowed", ok: false });
    expect(find(matrix, CONSUMER_ROLE, "s3:GetObject", "download over plain HTTP")).toMatchObject({ actual: "allowed", ok: false });
  });

  it("keeps failing with the guide's statements", async () => {
    const planned = await proveAccess(input, planPolicies(input));
    expect(find(planned, CONSUMER_ROLE, "kms:GenerateDataKey", "generate a data key through S3 (upload)").ok).toBe(true);
    expect(find(planned, OTHER_ROLE, "s3:GetObject", "download an object under the prefix")).toMatchObject({
      actual: "allowed",
      decidedBy: ["AdministratorAccess statement 1", "AllowAccountBRoleAccessToClientDataFolder"],
    });
  });
});
