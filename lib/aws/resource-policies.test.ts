import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BUCKET, FOREIGN_BUCKET_STATEMENT_SID, KMS_KEY, SEED_KEY_POLICY } from "@/sandbox/scenario";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { sandboxAwsConfig } from "./config";
import { createAwsContext, type AwsContext } from "./context";
import { AwsCallError } from "./errors";
import { describeKey, getKeyPolicy, putKeyPolicy } from "./kms";
import {
  deleteBucketPolicy,
  getBucketEncryption,
  getBucketPolicy,
  getBucketPolicyStatus,
  putBucketPolicy,
} from "./s3";

let sandbox: TestSandbox;
let aws: AwsContext;

const grantStatement = {
  Sid: "AccessPortalRead",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::533267321107:root" },
  Action: "s3:GetObject",
  Resource: `arn:aws:s3:::${BUCKET.name}/client-data/*`,
};

async function callError(promise: Promise<unknown>): Promise<AwsCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AwsCallError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  aws = createAwsContext(sandboxAwsConfig(sandbox.url));
});

beforeEach(async () => {
  await sandbox.reset();
});

afterAll(async () => {
  aws.destroy();
  await sandbox.stop();
});

describe("S3 adapters", () => {
  it("reads the seeded policy, encryption and status", async () => {
    const policy = await getBucketPolicy(aws, BUCKET.name);
    const encryption = await getBucketEncryption(aws, BUCKET.name);
    const status = await getBucketPolicyStatus(aws, BUCKET.name);

    expect(policy.policy).toContain(FOREIGN_BUCKET_STATEMENT_SID);
    expect(policy.requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(encryption).toMatchObject({ algorithm: "aws:kms", kmsKeyArn: KMS_KEY.arn, bucketKeyEnabled: false });
    expect(status.isPublic).toBe(false);
  });

  it("writes, reads back and deletes a policy", async () => {
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [grantStatement] });

    const put = await putBucketPolicy(aws, BUCKET.name, document);
    const read = await getBucketPolicy(aws, BUCKET.name);
    const deleted = await deleteBucketPolicy(aws, BUCKET.name);
    const missing = await getBucketPolicy(aws, BUCKET.name);
    const status = await getBucketPolicyStatus(aws, BUCKET.name);

    expect(put.requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(read.policy).toBe(document);
    expect(deleted.requestId).not.toBe(put.requestId);
    expect(missing.policy).toBeNull();
    expect(status.isPublic).toBe(false);
  });

  it("throws a typed error for a malformed policy", async () => {
    const error = await callError(putBucketPolicy(aws, BUCKET.name, '{"Version":"2012-10-17"}'));

    expect(error.service).toBe("s3");
    expect(error.operation).toBe("PutBucketPolicy");
    expect(error.code).toBe("MalformedPolicy");
    expect(error.retryable).toBe(false);
    expect(error.requestId).toMatch(/^[0-9A-F]{16}$/);
  });

  it("recovers from one injected 500 by the SDK's retry", async () => {
    await sandbox.control("POST", "/_sandbox/faults", {
      service: "s3",
      operation: "GetBucketPolicy",
      error: { status: 500, code: "InternalError" },
      count: 1,
    });

    const policy = await getBucketPolicy(aws, BUCKET.name);

    expect(policy.policy).toContain(FOREIGN_BUCKET_STATEMENT_SID);
    expect(await sandbox.control("GET", "/_sandbox/faults")).toMatchObject({ body: { faults: [] } });
  });

  it("reports a persistent 500 as retryable", async () => {
    const single = createAwsContext(sandboxAwsConfig(sandbox.url, { maxAttempts: 1 }));
    await sandbox.control("POST", "/_sandbox/faults", {
      service: "s3",
      operation: "PutBucketPolicy",
      error: { status: 500, code: "InternalError" },
    });

    const error = await callError(putBucketPolicy(single, BUCKET.name, JSON.stringify({ Statement: [grantStatement] })));
    single.destroy();

    expect(error.code).toBe("InternalError");
    expect(error.httpStatus).toBe(500);
    expect(error.retryable).toBe(true);
  });

  it("reports an unreachable endpoint as a retryable network error", async () => {
    const offline = createAwsContext(sandboxAwsConfig("http://127.0.0.1:9", { maxAttempts: 1 }));

    const error = await callError(getBucketPolicy(offline, BUCKET.name));
    offline.destroy();

    // The owner role cannot be assumed, so the failure is STS's.
    expect(error.service).toBe("sts");
    expect(error.code).toBe("NetworkError");
    expect(error.retryable).toBe(true);
  });
});

describe("KMS adapters", () => {
  it("describes the key", async () => {
    const key = await describeKey(aws, KMS_KEY.arn);

    expect(key).toMatchObject({ arn: KMS_KEY.arn, keyManager: "CUSTOMER", keyState: "Enabled", multiRegion: true });
    expect(key.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("round-trips the key policy", async () => {
    const seeded = await getKeyPolicy(aws, KMS_KEY.arn);
    const document = JSON.stringify({
      ...SEED_KEY_POLICY,
      Statement: [
        ...SEED_KEY_POLICY.Statement,
        { ...grantStatement, Sid: "AccessPortalDecrypt", Action: "kms:Decrypt", Resource: "*" },
      ],
    });

    await putKeyPolicy(aws, KMS_KEY.arn, document);
    const updated = await getKeyPolicy(aws, KMS_KEY.arn);

    expect(JSON.parse(seeded.policy).Id).toBe("key-consolepolicy-3");
    expect(updated.policy).toBe(document);
  });

  it("throws typed errors for bad key policies and keys", async () => {
    const malformed = await callError(putKeyPolicy(aws, KMS_KEY.arn, "not json"));
    const missing = await callError(describeKey(aws, KMS_KEY.arn.replace("mrk-", "mrk-0")));

    expect(malformed.code).toBe("MalformedPolicyDocumentException");
    expect(malformed.service).toBe("kms");
    expect(missing.code).toBe("NotFoundException");
    expect(missing.retryable).toBe(false);
  });
});
