import {
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  PutBucketPolicyCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BUCKET, FOREIGN_BUCKET_STATEMENT_SID, KMS_KEY, ROLES } from "./scenario";
import { startTestSandbox, type TestSandbox } from "./testing";

let sandbox: TestSandbox;
let s3: S3Client;

const bucketArn = `arn:aws:s3:::${BUCKET.name}`;

function policy(statements: unknown[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const readStatement = {
  Sid: "AccessPortalRead",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::533267321107:root" },
  Action: "s3:GetObject",
  Resource: `${bucketArn}/client-data/*`,
};

async function rejectionOf(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, message: failure.message, status: failure.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  s3 = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));
});

beforeEach(async () => {
  await sandbox.reset();
});

afterAll(async () => {
  s3.destroy();
  await sandbox.stop();
});

describe("S3 bucket configuration", () => {
  it("returns the seeded policy with its foreign statement", async () => {
    const output = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    const document = JSON.parse(output.Policy ?? "{}");

    expect(document.Statement).toHaveLength(1);
    expect(document.Statement[0].Sid).toBe(FOREIGN_BUCKET_STATEMENT_SID);
    expect(document.Statement[0].Effect).toBe("Deny");
    expect(output.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
  });

  it("returns SSE-KMS default encryption with the key ARN", async () => {
    const output = await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET.name }));
    const rule = output.ServerSideEncryptionConfiguration?.Rules?.[0];

    expect(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("aws:kms");
    expect(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toBe(KMS_KEY.arn);
    expect(rule?.BucketKeyEnabled).toBe(false);
  });

  it("returns ownership controls and location", async () => {
    const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET.name }));
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: BUCKET.name }));

    expect(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe("BucketOwnerEnforced");
    expect(location.LocationConstraint).toBe("us-east-2");
  });

  it("puts, reads back and deletes a policy", async () => {
    const document = policy([readStatement]);

    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: document }));
    const read = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect(read.Policy).toBe(document);

    const deleted = await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET.name }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const missing = await rejectionOf(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name })));
    expect(missing.name).toBe("NoSuchBucketPolicy");
    expect(missing.status).toBe(404);
  });

  it("rejects malformed policies", async () => {
    const cases: [string, string][] = [
      ["invalid JSON", "{not json"],
      ["missing Statement", JSON.stringify({ Version: "2012-10-17" })],
      ["bad Effect", policy([{ ...readStatement, Effect: "Maybe" }])],
      ["missing Principal", policy([{ ...readStatement, Principal: undefined }])],
      ["resource of another bucket", policy([{ ...readStatement, Resource: "arn:aws:s3:::other-bucket/*" }])],
      ["invalid action", policy([{ ...readStatement, Action: "kms:Decrypt" }])],
      ["unknown condition operator", policy([{ ...readStatement, Condition: { StringSorta: { "aws:x": "y" } } }])],
      ["duplicate Sid", policy([readStatement, readStatement])],
      [
        "missing role principal",
        policy([{ ...readStatement, Principal: { AWS: "arn:aws:iam::533267321107:role/DoesNotExist" } }]),
      ],
      ["wildcard in principal ARN", policy([{ ...readStatement, Principal: { AWS: "arn:aws:iam::533267321107:role/*" } }])],
    ];
    for (const [label, document] of cases) {
      const failure = await rejectionOf(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: document })));
      expect(failure.name, label).toBe("MalformedPolicy");
      expect(failure.status, label).toBe(400);
    }

    const unchanged = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    expect(unchanged.Policy).toContain(FOREIGN_BUCKET_STATEMENT_SID);
  });

  it("accepts a principal role that exists", async () => {
    const document = policy([{ ...readStatement, Principal: { AWS: ROLES.consumerDataEngineer } }]);

    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: document }));

    expect(put.$metadata.httpStatusCode).toBe(204);
  });

  it("rejects a policy over 20 KB without white space", async () => {
    const statements = Array.from({ length: 120 }, (_, index) => ({
      ...readStatement,
      Sid: `AccessPortalRead${index}`,
      Resource: `${bucketArn}/client-data/folder-${index}-${"x".repeat(100)}/*`,
    }));
    const document = policy(statements);
    expect(Buffer.byteLength(document)).toBeGreaterThan(20_480);

    const failure = await rejectionOf(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: document })));

    expect(failure.name).toBe("PolicyTooLarge");
    expect(failure.status).toBe(400);
  });

  it("measures the size without indentation", async () => {
    const statements = Array.from({ length: 60 }, (_, index) => ({ ...readStatement, Sid: `AccessPortalRead${index}` }));
    const indented = JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 12);
    expect(Buffer.byteLength(indented)).toBeGreaterThan(20_480);
    expect(Buffer.byteLength(JSON.stringify(JSON.parse(indented)))).toBeLessThan(20_480);

    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: indented }));

    expect(put.$metadata.httpStatusCode).toBe(204);
  });

  it("reports policy status by the public rule", async () => {
    const cases: [string, unknown, boolean][] = [
      ["seed deny for everyone", undefined, false],
      ["allow to an account", readStatement, false],
      ["allow to everyone", { ...readStatement, Principal: "*" }, true],
      ["allow to AWS *", { ...readStatement, Principal: { AWS: "*" } }, true],
      [
        "allow to everyone from one VPC",
        { ...readStatement, Principal: "*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-1a2b3c4d" } } },
        false,
      ],
      [
        "allow to everyone over TLS only",
        { ...readStatement, Principal: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
        true,
      ],
    ];
    for (const [label, statement, expected] of cases) {
      if (statement) {
        await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: policy([statement]) }));
      }
      const status = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET.name }));
      expect(status.PolicyStatus?.IsPublic, label).toBe(expected);
    }
  });

  it("answers NoSuchBucket for an unknown bucket", async () => {
    const failure = await rejectionOf(s3.send(new GetBucketPolicyCommand({ Bucket: "no-such-bucket-here" })));

    expect(failure.name).toBe("NoSuchBucket");
    expect(failure.status).toBe(404);
  });

  it("denies the consumer account", async () => {
    const consumer = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(ROLES.consumerIdentityCenter)));

    const read = await rejectionOf(consumer.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name })));
    const write = await rejectionOf(
      consumer.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: policy([readStatement]) })),
    );
    consumer.destroy();

    expect(read.name).toBe("AccessDenied");
    expect(read.status).toBe(403);
    expect(write.name).toBe("AccessDenied");
  });

  it("rejects a request signed for another Region", async () => {
    const credentials = await sandbox.assumeRole(ROLES.ownerProvisioner);
    const elsewhere = new S3Client(sandbox.clientConfig(credentials, "eu-west-1"));

    const failure = await rejectionOf(elsewhere.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name })));
    elsewhere.destroy();

    expect(failure.name).toBe("AuthorizationHeaderMalformed");
    expect(failure.message).toContain("us-east-2");
  });
});
