import { describe, expect, it } from "vitest";
import { planPolicies, PolicyValidationError, type PlanInput, type PolicyDocument, type Statement } from "@/lib/policy";
import {
  BUCKET,
  CONSUMER,
  grant,
  KEY_ARN,
  OWNER,
  READ_SET,
  READ_WRITE_SET,
  SECOND_CONSUMER,
  seedInput,
  twoByTwoInput,
} from "./fixtures/scenario";

const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const objectsArn = (prefix: string) => `${BUCKET_ARN}/${prefix}*`;
const root = (account: string) => `arn:aws:iam::${account}:root`;
const rolePattern = (account: string, set: string) =>
  `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${set}_????????????????`;
const VIA_S3 = "s3.us-east-2.amazonaws.com";

const FOREIGN_LOG_DELIVERY: Statement = {
  Sid: "AllowServerAccessLogDelivery",
  Effect: "Allow",
  Principal: { Service: "logging.s3.amazonaws.com" },
  Action: "s3:PutObject",
  Resource: `${BUCKET_ARN}/logs/*`,
  Condition: { StringEquals: { "aws:SourceAccount": OWNER } },
};
const KEY_ADMINISTRATION: Statement = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: root(OWNER) },
  Action: "kms:*",
  Resource: "*",
};

function denyInsecureTransport(prefixes: string[]): Statement {
  return {
    Sid: "AccessPortalDenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [BUCKET_ARN, ...prefixes.map(objectsArn)],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

function uploadDenies(prefixes: string[]): Statement[] {
  const resource = prefixes.length === 1 ? objectsArn(prefixes[0] as string) : prefixes.map(objectsArn);
  return [
    {
      Sid: "AccessPortalDenyOtherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: resource,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      },
    },
    {
      Sid: "AccessPortalDenyOtherEncryption",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: resource,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        Null: { "s3:x-amz-server-side-encryption": "false" },
      },
    },
    {
      Sid: "AccessPortalDenyCustomerProvidedKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: resource,
      Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } },
    },
  ];
}

/** Asserts equal content and equal bytes (key order included), as a writer would send them. */
function expectExactDocument(actual: PolicyDocument | null | undefined, expected: PolicyDocument): void {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

function planError(input: PlanInput): PolicyValidationError {
  try {
    planPolicies(input);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error("planPolicies accepted the input");
}

describe("planPolicies seed scenario", () => {
  const plan = planPolicies(seedInput());
  const pattern = rolePattern(CONSUMER, READ_WRITE_SET);

  it("writes the exact bucket policy", () => {
    expectExactDocument(plan.bucketPolicy, {
      Version: "2012-10-17",
      Statement: [
        FOREIGN_LOG_DELIVERY,
        denyInsecureTransport(["client-data/"]),
        {
          Sid: "AccessPortalReadWriteObjectsClientData1e7ac102",
          Effect: "Allow",
          Principal: { AWS: root(CONSUMER) },
          Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: objectsArn("client-data/"),
          Condition: { ArnLike: { "aws:PrincipalArn": pattern } },
        },
        {
          Sid: "AccessPortalReadWriteListClientData1e7ac102",
          Effect: "Allow",
          Principal: { AWS: root(CONSUMER) },
          Action: "s3:ListBucket",
          Resource: BUCKET_ARN,
          Condition: { StringLike: { "s3:prefix": ["client-data/", "client-data/*"] }, ArnLike: { "aws:PrincipalArn": pattern } },
        },
        ...uploadDenies(["client-data/"]),
      ],
    });
  });

  it("writes the exact key policy", () => {
    expectExactDocument(plan.keyPolicy, {
      Version: "2012-10-17",
      Id: "key-consolepolicy-3",
      Statement: [
        KEY_ADMINISTRATION,
        {
          Sid: "AccessPortalReadWriteKeyUseClientDatadf5fe47a",
          Effect: "Allow",
          Principal: { AWS: root(CONSUMER) },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: {
            ArnLike: { "aws:PrincipalArn": pattern },
            StringEquals: { "kms:ViaService": VIA_S3 },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": objectsArn("client-data/") },
          },
        },
      ],
    });
  });

  it("writes the exact permission set policy", () => {
    expect(Object.keys(plan.permissionSetPolicies)).toEqual([READ_WRITE_SET]);
    expectExactDocument(plan.permissionSetPolicies[READ_WRITE_SET], {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccessPortalGetObjectsFelixBucket123456Xyz4c42dc10", Effect: "Allow", Action: "s3:GetObject", Resource: objectsArn("client-data/") },
        {
          Sid: "AccessPortalPutObjectsFelixBucket123456Xyz4c42dc10",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: objectsArn("client-data/"),
        },
        {
          Sid: "AccessPortalListPrefixesFelixBucket123456Xyz4c42dc10",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: BUCKET_ARN,
          Condition: { StringLike: { "s3:prefix": ["client-data/", "client-data/*"] } },
        },
        {
          Sid: "AccessPortalKeyViaS3FelixBucket123456Xyz4c42dc10",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: KEY_ARN,
          Condition: { StringEquals: { "kms:ViaService": VIA_S3 } },
        },
      ],
    });
  });

  it("reports sizes, changes and no warnings", () => {
    expect(plan.warnings).toEqual([]);
    expect(plan.sizes.bucketPolicy).toEqual({ bytes: JSON.stringify(plan.bucketPolicy).length, limit: 20_480 });
    expect(plan.sizes.keyPolicy).toEqual({ bytes: JSON.stringify(plan.keyPolicy).length, limit: 32_768 });
    expect(plan.sizes.permissionSetPolicies[READ_WRITE_SET]?.limitWithoutWhitespace).toBe(10_240);
    expect(plan.changes).toEqual({ bucketPolicy: "update", keyPolicy: "update", permissionSetPolicies: { [READ_WRITE_SET]: "create" } });
    expect(plan.deletedPermissionSetPolicies).toEqual([]);
  });
});

describe("planPolicies two prefixes, two consumers, both levels", () => {
  const plan = planPolicies(twoByTwoInput());
  const roots = [root(SECOND_CONSUMER), root(CONSUMER)];
  const readPatterns = [rolePattern(SECOND_CONSUMER, READ_SET), rolePattern(CONSUMER, READ_SET)];
  const writePatterns = [rolePattern(SECOND_CONSUMER, READ_WRITE_SET), rolePattern(CONSUMER, READ_WRITE_SET)];
  const labels = { "client-data/": "ClientData1e7ac102", "reports/": "Reportsdd093325" } as const;
  const keyLabels = { "client-data/": "ClientDatadf5fe47a", "reports/": "Reportsf66b9ded" } as const;

  function datasetStatements(prefix: keyof typeof labels): Statement[] {
    const list = (patterns: string[]) => ({
      StringLike: { "s3:prefix": [prefix, `${prefix}*`] },
      ArnLike: { "aws:PrincipalArn": patterns },
    });
    return [
      { Sid: `AccessPortalReadObjects${labels[prefix]}`, Effect: "Allow", Principal: { AWS: roots }, Action: "s3:GetObject", Resource: objectsArn(prefix), Condition: { ArnLike: { "aws:PrincipalArn": readPatterns } } },
      { Sid: `AccessPortalReadList${labels[prefix]}`, Effect: "Allow", Principal: { AWS: roots }, Action: "s3:ListBucket", Resource: BUCKET_ARN, Condition: list(readPatterns) },
      {
        Sid: `AccessPortalReadWriteObjects${labels[prefix]}`,
        Effect: "Allow",
        Principal: { AWS: roots },
        Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: objectsArn(prefix),
        Condition: { ArnLike: { "aws:PrincipalArn": writePatterns } },
      },
      { Sid: `AccessPortalReadWriteList${labels[prefix]}`, Effect: "Allow", Principal: { AWS: roots }, Action: "s3:ListBucket", Resource: BUCKET_ARN, Condition: list(writePatterns) },
    ];
  }

  function keyStatements(prefix: keyof typeof keyLabels): Statement[] {
    const condition = (patterns: string[]) => ({
      ArnLike: { "aws:PrincipalArn": patterns },
      StringEquals: { "kms:ViaService": VIA_S3 },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": objectsArn(prefix) },
    });
    return [
      { Sid: `AccessPortalReadKeyUse${keyLabels[prefix]}`, Effect: "Allow", Principal: { AWS: roots }, Action: "kms:Decrypt", Resource: "*", Condition: condition(readPatterns) },
      {
        Sid: `AccessPortalReadWriteKeyUse${keyLabels[prefix]}`,
        Effect: "Allow",
        Principal: { AWS: roots },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: condition(writePatterns),
      },
    ];
  }

  it("writes the exact bucket policy", () => {
    expectExactDocument(plan.bucketPolicy, {
      Version: "2012-10-17",
      Statement: [
        FOREIGN_LOG_DELIVERY,
        denyInsecureTransport(["client-data/", "reports/"]),
        ...datasetStatements("client-data/"),
        ...datasetStatements("reports/"),
        ...uploadDenies(["client-data/", "reports/"]),
      ],
    });
  });

  it("writes the exact key policy", () => {
    expectExactDocument(plan.keyPolicy, {
      Version: "2012-10-17",
      Id: "key-consolepolicy-3",
      Statement: [KEY_ADMINISTRATION, ...keyStatements("client-data/"), ...keyStatements("reports/")],
    });
  });

  it("writes one exact inline policy per permission set", () => {
    const both = [objectsArn("client-data/"), objectsArn("reports/")];
    const list: Statement = {
      Sid: "AccessPortalListPrefixesFelixBucket123456Xyz4c42dc10",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: BUCKET_ARN,
      Condition: { StringLike: { "s3:prefix": ["client-data/", "client-data/*", "reports/", "reports/*"] } },
    };
    const get: Statement = { Sid: "AccessPortalGetObjectsFelixBucket123456Xyz4c42dc10", Effect: "Allow", Action: "s3:GetObject", Resource: both };
    const key = (actions: string | string[]): Statement => ({
      Sid: "AccessPortalKeyViaS3FelixBucket123456Xyz4c42dc10",
      Effect: "Allow",
      Action: actions,
      Resource: KEY_ARN,
      Condition: { StringEquals: { "kms:ViaService": VIA_S3 } },
    });
    expect(Object.keys(plan.permissionSetPolicies)).toEqual([READ_WRITE_SET, READ_SET]);
    expectExactDocument(plan.permissionSetPolicies[READ_WRITE_SET], {
      Version: "2012-10-17",
      Statement: [
        get,
        { Sid: "AccessPortalPutObjectsFelixBucket123456Xyz4c42dc10", Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: both },
        list,
        key(["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
    });
    expectExactDocument(plan.permissionSetPolicies[READ_SET], { Version: "2012-10-17", Statement: [get, list, key("kms:Decrypt")] });
  });

  it("warns that each permission set reaches both datasets", () => {
    expect(plan.warnings).toEqual([
      `permission set ${READ_WRITE_SET} of account ${SECOND_CONSUMER} reaches 2 datasets ("client-data/", "reports/"), so everyone assigned it gets all of them`,
      `permission set ${READ_SET} of account ${SECOND_CONSUMER} reaches 2 datasets ("client-data/", "reports/"), so everyone assigned it gets all of them`,
      `permission set ${READ_WRITE_SET} of account ${CONSUMER} reaches 2 datasets ("client-data/", "reports/"), so everyone assigned it gets all of them`,
      `permission set ${READ_SET} of account ${CONSUMER} reaches 2 datasets ("client-data/", "reports/"), so everyone assigned it gets all of them`,
    ]);
  });
});

describe("planPolicies stability", () => {
  it("gives byte-identical documents for any input order", () => {
    const input = twoByTwoInput();
    const shuffled: PlanInput = {
      ...input,
      datasets: [...input.datasets].reverse().map((dataset) => ({ ...dataset, grants: [...dataset.grants].reverse() })),
    };
    expect(JSON.stringify(planPolicies(shuffled))).toBe(JSON.stringify(planPolicies(input)));
  });

  it("adds nothing for 1,000 people", () => {
    const onePerson = seedInput();
    const many: PlanInput = {
      ...onePerson,
      datasets: [{ prefix: "client-data/", grants: Array.from({ length: 1000 }, () => grant(CONSUMER, "read-write")) }],
    };
    const plan = planPolicies(many);
    expect(JSON.stringify(plan.bucketPolicy)).toBe(JSON.stringify(planPolicies(onePerson).bucketPolicy));
    expect(JSON.stringify(plan.keyPolicy)).toBe(JSON.stringify(planPolicies(onePerson).keyPolicy));
    expect(plan.sizes).toEqual(planPolicies(onePerson).sizes);
  });

  it("changes nothing when planned over its own output", () => {
    const first = planPolicies(twoByTwoInput());
    const input = twoByTwoInput();
    input.bucket.policy = JSON.stringify(first.bucketPolicy);
    input.key.policy = first.keyPolicy;
    input.livePermissionSetPolicies = first.permissionSetPolicies;
    const second = planPolicies(input);
    expect(JSON.stringify(second.bucketPolicy)).toBe(JSON.stringify(first.bucketPolicy));
    expect(JSON.stringify(second.keyPolicy)).toBe(JSON.stringify(first.keyPolicy));
    expect(second.permissionSetPolicies).toEqual(first.permissionSetPolicies);
    expect(second.changes).toEqual({ bucketPolicy: "none", keyPolicy: "none", permissionSetPolicies: { [READ_WRITE_SET]: "none", [READ_SET]: "none" } });
  });

  it("accepts live managed statements that AWS reformatted", () => {
    const first = planPolicies(seedInput());
    const input = seedInput();
    // S3 and KMS may return one-element arrays, other value orders and account IDs as principals.
    const reformatted = (first.bucketPolicy as PolicyDocument).Statement.map((statement) =>
      statement.Sid === "AccessPortalReadWriteListClientData1e7ac102"
        ? { ...statement, Principal: { AWS: [CONSUMER] }, Condition: { StringLike: { "s3:prefix": ["client-data/*", "client-data/"] }, ArnLike: { "aws:PrincipalArn": [rolePattern(CONSUMER, READ_WRITE_SET)] } } }
        : statement,
    );
    input.bucket.policy = { Version: "2012-10-17", Statement: reformatted };
    const second = planPolicies(input);
    expect(second.bucketPolicy).toEqual(first.bucketPolicy);
    expect(second.changes.bucketPolicy).toBe("none");
  });
});

describe("planPolicies merging", () => {
  it("restores the live documents when the last grant goes", () => {
    const granted = planPolicies(seedInput());
    const input = seedInput();
    input.bucket.policy = granted.bucketPolicy;
    input.key.policy = granted.keyPolicy;
    input.livePermissionSetPolicies = granted.permissionSetPolicies;
    input.datasets = [{ prefix: "client-data/", grants: [] }];
    const revoked = planPolicies(input);
    expect(revoked.bucketPolicy).toEqual(seedInput().bucket.policy);
    expect(revoked.keyPolicy).toEqual(seedInput().key.policy);
    expect(revoked.permissionSetPolicies).toEqual({});
    expect(revoked.deletedPermissionSetPolicies).toEqual([READ_WRITE_SET]);
    expect(revoked.changes.permissionSetPolicies).toEqual({ [READ_WRITE_SET]: "delete" });
  });

  it("deletes a bucket policy left without statements", () => {
    const input = seedInput();
    input.bucket.policy = planPolicies({ ...seedInput(), bucket: { ...seedInput().bucket, policy: null } }).bucketPolicy;
    input.datasets = [];
    const plan = planPolicies(input);
    expect(plan.bucketPolicy).toBeNull();
    expect(plan.sizes.bucketPolicy).toBeNull();
    expect(plan.changes.bucketPolicy).toBe("delete");
  });

  it("creates a bucket policy where none exists", () => {
    const input = seedInput();
    input.bucket.policy = null;
    const plan = planPolicies(input);
    expect(plan.changes.bucketPolicy).toBe("create");
    expect(plan.bucketPolicy?.Statement.map((statement) => statement.Sid)).toEqual([
      "AccessPortalDenyInsecureTransport",
      "AccessPortalReadWriteObjectsClientData1e7ac102",
      "AccessPortalReadWriteListClientData1e7ac102",
      "AccessPortalDenyOtherKmsKey",
      "AccessPortalDenyOtherEncryption",
      "AccessPortalDenyCustomerProvidedKeys",
    ]);
  });

  it("keeps foreign statements in place around managed ones", () => {
    const granted = planPolicies(seedInput());
    const late: Statement = { Sid: "AddedLaterByOwner", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: BUCKET_ARN };
    const input = seedInput();
    input.bucket.policy = { Version: "2012-10-17", Statement: [...(granted.bucketPolicy as PolicyDocument).Statement, late] };
    const plan = planPolicies(input);
    const statements = (plan.bucketPolicy as PolicyDocument).Statement;
    expect(statements[0]).toEqual(FOREIGN_LOG_DELIVERY);
    expect(statements[1]).toEqual(late);
    expect(statements.slice(2)).toEqual((granted.bucketPolicy as PolicyDocument).Statement.slice(1));
  });

  it("reads a live policy given as JSON text", () => {
    const input = seedInput();
    input.bucket.policy = JSON.stringify(input.bucket.policy);
    input.key.policy = JSON.stringify(input.key.policy);
    expect(planPolicies(input).bucketPolicy).toEqual(planPolicies(seedInput()).bucketPolicy);
  });

  it("rejects a live bucket policy that is not JSON", () => {
    const input = seedInput();
    input.bucket.policy = '{"Version":"2012-10-17","Statement":[';
    const error = planError(input);
    expect(error.field).toBe("bucket.policy");
    expect(error.code).toBe("invalid-live-policy");
    expect(error.message).toContain("not valid JSON");
  });

  it("rejects a non-object key statement", () => {
    const input = seedInput();
    input.key.policy = '{"Version":"2012-10-17","Statement":["kms:*"]}';
    const error = planError(input);
    expect(error.field).toBe("key.policy.Statement[0]");
    expect(error.code).toBe("invalid-live-policy");
  });

  it("rejects a managed statement edited by hand", () => {
    const granted = planPolicies(seedInput());
    const input = seedInput();
    const statements = (granted.bucketPolicy as PolicyDocument).Statement.map((statement) =>
      statement.Sid === "AccessPortalReadWriteObjectsClientData1e7ac102" ? { ...statement, Action: "s3:*" } : statement,
    );
    input.bucket.policy = { Version: "2012-10-17", Statement: statements };
    const error = planError(input);
    expect(error.code).toBe("edited-managed-statement");
    expect(error.field).toBe("bucket.policy.Statement[2]");
    expect(error.message).toContain("AccessPortalReadWriteObjectsClientData1e7ac102");
  });

  it("rejects a managed statement whose condition was removed", () => {
    const granted = planPolicies(seedInput());
    const input = seedInput();
    const statements = granted.keyPolicy.Statement.map((statement) =>
      statement.Sid?.startsWith("AccessPortal") ? (Object.fromEntries(Object.entries(statement).filter(([field]) => field !== "Condition")) as Statement) : statement,
    );
    input.key.policy = { ...granted.keyPolicy, Statement: statements };
    const error = planError(input);
    expect(error.code).toBe("edited-managed-statement");
    expect(error.field).toBe("key.policy.Statement[1]");
  });

  it("replaces an edited statement when told to", () => {
    const granted = planPolicies(seedInput());
    const input = seedInput();
    input.bucket.policy = {
      Version: "2012-10-17",
      Statement: (granted.bucketPolicy as PolicyDocument).Statement.map((statement) =>
        statement.Sid === "AccessPortalDenyInsecureTransport" ? { ...statement, Resource: BUCKET_ARN } : statement,
      ),
    };
    input.replaceEditedStatements = true;
    const plan = planPolicies(input);
    expect(plan.bucketPolicy).toEqual(granted.bucketPolicy);
    expect(plan.warnings).toContain('bucket policy: statement "AccessPortalDenyInsecureTransport" was edited by hand and is replaced');
  });

  it("rejects unknown managed bucket statements", () => {
    const input = seedInput();
    input.bucket.policy = { Version: "2012-10-17", Statement: [{ Sid: "AccessPortalLegacy", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` }] };
    expect(planError(input).code).toBe("edited-managed-statement");
  });

  it("keeps administrative statement with managed Sid", () => {
    const input = seedInput();
    const administration = { ...KEY_ADMINISTRATION, Sid: "AccessPortalAdministration" };
    input.key.policy = { Version: "2012-10-17", Statement: [administration] };
    const plan = planPolicies(input);
    expect(plan.keyPolicy.Statement[0]).toEqual(administration);
    expect(plan.warnings.some((warning) => warning.includes("owner account's administrative statement"))).toBe(true);
  });

  it("keeps other buckets' managed statements", () => {
    const other = seedInput();
    other.bucket.name = "other-bucket-418649672840";
    other.datasets = [{ prefix: "exports/", grants: [grant(CONSUMER, "read")] }];
    const otherPlan = planPolicies(other);
    const input = seedInput();
    input.key.policy = otherPlan.keyPolicy;
    input.livePermissionSetPolicies = { [READ_SET]: otherPlan.permissionSetPolicies[READ_SET] as PolicyDocument };
    input.datasets = [{ prefix: "client-data/", grants: [grant(CONSUMER, "read")] }];
    const plan = planPolicies(input);
    expect(plan.keyPolicy.Statement.slice(0, 2)).toEqual(otherPlan.keyPolicy.Statement);
    expect(plan.keyPolicy.Statement).toHaveLength(3);
    const inline = plan.permissionSetPolicies[READ_SET] as PolicyDocument;
    expect(inline.Statement.slice(0, 3)).toEqual(otherPlan.permissionSetPolicies[READ_SET]?.Statement);
    expect(inline.Statement).toHaveLength(6);
  });

  it("allows bucket ARN context with Bucket Keys", () => {
    const input = seedInput();
    input.bucket.bucketKeyEnabled = true;
    const plan = planPolicies(input);
    const keyUse = plan.keyPolicy.Statement[1] as Statement;
    expect(keyUse.Condition?.StringLike).toEqual({ "kms:EncryptionContext:aws:s3:arn": [objectsArn("client-data/"), BUCKET_ARN] });
    expect(plan.warnings.some((warning) => warning.startsWith("S3 Bucket Keys are on"))).toBe(true);
  });

  it("denies the sessions of a revoked person", () => {
    const input = seedInput();
    input.revokedSessions = [
      {
        userId: "9067a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
        consumerAccountId: CONSUMER,
        permissionSetName: READ_WRITE_SET,
        prefix: "client-data/",
        issuedBefore: "2026-12-04T10:15:00.250+01:00",
      },
    ];
    const statements = (planPolicies(input).bucketPolicy as PolicyDocument).Statement;
    expect(statements.at(-1)).toEqual({
      Sid: expect.stringMatching(/^AccessPortalRevokedSessionClientData[0-9a-f]{8}$/),
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
      Resource: [BUCKET_ARN, objectsArn("client-data/")],
      Condition: {
        StringEquals: { "identitystore:UserId": "9067a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d" },
        ArnLike: { "aws:PrincipalArn": rolePattern(CONSUMER, READ_WRITE_SET) },
        DateLessThan: { "aws:TokenIssueTime": "2026-12-04T09:15:01Z" },
        StringLikeIfExists: { "s3:prefix": ["client-data/", "client-data/*"] },
      },
    });
  });

  it("upgrades a 2008-10-17 live policy with a warning", () => {
    const input = seedInput();
    input.bucket.policy = { ...(input.bucket.policy as PolicyDocument), Version: "2008-10-17" as "2012-10-17" };
    const plan = planPolicies(input);
    expect(plan.bucketPolicy?.Version).toBe("2012-10-17");
    expect(plan.warnings).toContain("bucket policy: Version 2008-10-17 is changed to 2012-10-17");
  });

  it("rejects upgrade when a statement has ${", () => {
    const input = seedInput();
    input.bucket.policy = {
      Version: "2008-10-17" as "2012-10-17",
      Statement: [{ ...FOREIGN_LOG_DELIVERY, Resource: `${BUCKET_ARN}/logs/\${aws:username}/*` }],
    };
    const error = planError(input);
    expect(error.field).toBe("bucket.policy.Version");
  });
});

describe("planPolicies owner lockout", () => {
  it("rejects a key policy without the owner's kms:PutKeyPolicy", () => {
    const input = seedInput();
    input.key.policy = { Version: "2012-10-17", Statement: [{ Sid: "ReadOnly", Effect: "Allow", Principal: { AWS: root(OWNER) }, Action: "kms:Describe*", Resource: "*" }] };
    const error = planError(input);
    expect(error.code).toBe("owner-lockout");
    expect(error.field).toBe("key.policy");
  });

  it("rejects a key policy that denies kms:PutKeyPolicy", () => {
    const input = seedInput();
    input.key.policy = {
      Version: "2012-10-17",
      Statement: [KEY_ADMINISTRATION, { Sid: "Freeze", Effect: "Deny", Principal: "*", Action: "kms:PutKeyPolicy", Resource: "*" }],
    };
    expect(planError(input).code).toBe("owner-lockout");
  });

  it("accepts owner role with PutKeyPolicy", () => {
    const input = seedInput();
    input.key.policy = {
      Version: "2012-10-17",
      Statement: [{ Sid: "Provisioner", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWNER}:role/Provisioner` }, Action: ["kms:PutKeyPolicy", "kms:GetKeyPolicy"], Resource: "*" }],
    };
    const plan = planPolicies(input);
    expect(plan.warnings.some((warning) => warning.includes("no statement allows account"))).toBe(true);
  });
});

describe("planPolicies input validation", () => {
  it.each<[string, (input: PlanInput) => void, string, string]>([
    ["prefix without slash", (input) => void ((input.datasets[0] as { prefix: string }).prefix = "client-data"), "datasets[0].prefix", "must end with"],
    ["wildcard prefix", (input) => void ((input.datasets[0] as { prefix: string }).prefix = "client-*/"), "datasets[0].prefix", "\"*\""],
    ["bad account", (input) => void ((input.datasets[0]?.grants[0] as { consumerAccountId: string }).consumerAccountId = "5332673211"), "datasets[0].grants[0].consumerAccountId", "12-digit"],
    ["bad level", (input) => void ((input.datasets[0]?.grants[0] as { access: string }).access = "write"), "datasets[0].grants[0].access", "\"read\" or \"read-write\""],
    ["bad set name", (input) => void ((input.datasets[0]?.grants[0] as { permissionSetName: string }).permissionSetName = "Cross Account"), "datasets[0].grants[0].permissionSetName", "1 to 32"],
    ["bucket name", (input) => void (input.bucket.name = "Felix_Bucket"), "bucket.name", "lowercase"],
    ["missing region", (input) => void delete (input.bucket as Partial<PlanInput["bucket"]>).region, "bucket.region", "is missing"],
    ["key alias", (input) => void (input.key.arn = "arn:aws:kms:us-east-2:418649672840:alias/audit"), "key.arn", "alias"],
    ["key of another account", (input) => void (input.key.arn = KEY_ARN.replace(OWNER, CONSUMER)), "key.arn", "bucket's account"],
    ["key of another Region", (input) => void (input.key.arn = KEY_ARN.replace("us-east-2", "us-west-2")), "key.arn", "bucket's Region"],
    ["bucket policy of a wrong type", (input) => void ((input.bucket as { policy: unknown }).policy = 42), "bucket.policy", "policy document"],
    ["duplicate prefix", (input) => void input.datasets.push({ prefix: "client-data/", grants: [] }), "datasets[1].prefix", "already the prefix of datasets[0]"],
    [
      "revoke time",
      (input) =>
        void (input.revokedSessions = [{ userId: "9067a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", consumerAccountId: CONSUMER, permissionSetName: READ_WRITE_SET, prefix: "client-data/", issuedBefore: "yesterday" }]),
      "revokedSessions[0].issuedBefore",
      "ISO 8601",
    ],
    [
      "revoked user name instead of ID",
      (input) =>
        void (input.revokedSessions = [{ userId: "auditor1@auditfirm.com", consumerAccountId: CONSUMER, permissionSetName: READ_WRITE_SET, prefix: "client-data/", issuedBefore: "2026-12-04T10:15:00Z" }]),
      "revokedSessions[0].userId",
      "Identity Store user ID",
    ],
  ])("names the field for %s", (_case, mutate, field, message) => {
    const input = seedInput();
    mutate(input);
    const error = planError(input);
    expect(error.field).toBe(field);
    expect(error.code).toBe("invalid-input");
    expect(error.message).toContain(message);
  });

  it("rejects input that is not an object", () => {
    expect(planError(null as unknown as PlanInput).field).toBe("input");
  });

  it("warns about overlapping prefixes", () => {
    const input = seedInput();
    input.datasets.push({ prefix: "client-data/audit-reports/", grants: [grant(CONSUMER, "read")] });
    expect(planPolicies(input).warnings).toContain('datasets "client-data/" and "client-data/audit-reports/" overlap: grants on "client-data/" also cover "client-data/audit-reports/"');
  });

  it("warns about both levels in one set", () => {
    const input = seedInput();
    input.datasets = [{ prefix: "client-data/", grants: [grant(CONSUMER, "read-write"), grant(CONSUMER, "read", READ_WRITE_SET)] }];
    const plan = planPolicies(input);
    expect(plan.warnings[0]).toContain("holds both read and read-write");
    const inline = plan.permissionSetPolicies[READ_WRITE_SET] as PolicyDocument;
    expect(inline.Statement.map((statement) => statement.Sid)).toContain("AccessPortalPutObjectsFelixBucket123456Xyz4c42dc10");
  });
});

describe("planPolicies size limits", () => {
  function manyDatasets(count: number, prefixLength = 20): PlanInput {
    const input = seedInput();
    input.datasets = Array.from({ length: count }, (_, index) => ({
      prefix: `${String(index).padStart(4, "0")}-${"x".repeat(prefixLength - 6)}/`,
      grants: [grant(CONSUMER, "read-write")],
    }));
    return input;
  }

  it("rejects bucket policy over 20 KB", () => {
    const error = planError(manyDatasets(40));
    expect(error.code).toBe("policy-too-large");
    expect(error.field).toBe("bucket.policy");
    expect(error.size?.limit).toBe(20_480);
    expect(error.size?.bytes).toBeGreaterThan(20_480);
    expect(error.message).toContain(`${error.size?.bytes.toLocaleString("en-US")} bytes, over its limit of 20,480 bytes`);
  });

  it("rejects inline policy over 10,240 bytes", () => {
    const input = seedInput();
    input.bucket.policy = null;
    input.livePermissionSetPolicies = {
      [READ_WRITE_SET]: {
        Version: "2012-10-17",
        Statement: [{ Sid: "Padding", Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 300 }, (_, index) => `arn:aws:s3:::padding-bucket/${index}/*`) }],
      },
    };
    const error = planError(input);
    expect(error.code).toBe("policy-too-large");
    expect(error.field).toBe(`permissionSetPolicies.${READ_WRITE_SET}`);
    expect(error.message).toContain("over its limit of 10,240 bytes without white space");
  });
});
