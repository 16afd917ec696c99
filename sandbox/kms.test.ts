import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CONSUMER_ACCOUNT, KMS_KEY, OWNER_ACCOUNT, ROLES, SEED_KEY_POLICY } from "./scenario";
import { startTestSandbox, type TestSandbox } from "./testing";

let sandbox: TestSandbox;
let kms: KMSClient;

const ownerRoot = SEED_KEY_POLICY.Statement[0];

function keyPolicy(extra: unknown[] = [], admin: unknown = ownerRoot): string {
  return JSON.stringify({ Version: "2012-10-17", Id: "key-consolepolicy-3", Statement: [admin, ...extra] });
}

const consumerDecrypt = {
  Sid: "AccessPortalDecrypt",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:root` },
  Action: "kms:Decrypt",
  Resource: "*",
  Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
};

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  kms = new KMSClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));
});

beforeEach(async () => {
  await sandbox.reset();
});

afterAll(async () => {
  kms.destroy();
  await sandbox.stop();
});

describe("KMS", () => {
  it("describes the key by ARN, ID and alias", async () => {
    for (const keyId of [KMS_KEY.arn, KMS_KEY.keyId, KMS_KEY.alias]) {
      const output = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      const metadata = output.KeyMetadata;
      expect(metadata?.Arn, keyId).toBe(KMS_KEY.arn);
      expect(metadata?.KeyManager, keyId).toBe("CUSTOMER");
      expect(metadata?.KeyState, keyId).toBe("Enabled");
      expect(metadata?.MultiRegion, keyId).toBe(true);
      expect(metadata?.AWSAccountId, keyId).toBe(OWNER_ACCOUNT.id);
    }
  });

  it("answers NotFoundException for unknown keys", async () => {
    const unknownId = await errorName(kms.send(new DescribeKeyCommand({ KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" })));
    const otherRegion = await errorName(
      kms.send(new DescribeKeyCommand({ KeyId: KMS_KEY.arn.replace("us-east-2", "eu-west-1") })),
    );

    expect(unknownId).toBe("NotFoundException");
    expect(otherRegion).toBe("NotFoundException");
  });

  it("returns the seeded key policy", async () => {
    const output = await kms.send(new GetKeyPolicyCommand({ KeyId: KMS_KEY.arn }));
    const document = JSON.parse(output.Policy ?? "{}");

    expect(output.PolicyName).toBe("default");
    expect(document.Id).toBe("key-consolepolicy-3");
    expect(document.Statement).toEqual([ownerRoot]);
  });

  it("puts and reads back a key policy", async () => {
    const document = keyPolicy([consumerDecrypt]);

    await kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, PolicyName: "default", Policy: document }));
    const output = await kms.send(new GetKeyPolicyCommand({ KeyId: KMS_KEY.arn, PolicyName: "default" }));

    expect(output.Policy).toBe(document);
  });

  it("rejects malformed key policies", async () => {
    const cases: [string, string][] = [
      ["invalid JSON", "{"],
      ["no Statement", JSON.stringify({ Version: "2012-10-17" })],
      ["missing role principal", keyPolicy([{ ...consumerDecrypt, Principal: { AWS: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:role/Gone` } }])],
      ["bad Effect", keyPolicy([{ ...consumerDecrypt, Effect: "allow" }])],
    ];
    for (const [label, document] of cases) {
      const name = await errorName(kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: document })));
      expect(name, label).toBe("MalformedPolicyDocumentException");
    }
  });

  it("accepts a principal role that exists", async () => {
    const document = keyPolicy([{ ...consumerDecrypt, Principal: { AWS: ROLES.consumerDataEngineer } }]);

    await kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: document }));
    const output = await kms.send(new GetKeyPolicyCommand({ KeyId: KMS_KEY.arn }));

    expect(output.Policy).toBe(document);
  });

  it("rejects a policy over 32 KB", async () => {
    const statements = Array.from({ length: 160 }, (_, index) => ({ ...consumerDecrypt, Sid: `AccessPortal${index}` }));
    const document = keyPolicy(statements);
    expect(Buffer.byteLength(document)).toBeGreaterThan(32_768);

    const name = await errorName(kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: document })));

    expect(name).toBe("LimitExceededException");
  });

  it("rejects a policy that locks the owner out", async () => {
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [consumerDecrypt] });

    const name = await errorName(kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: document })));
    const output = await kms.send(new GetKeyPolicyCommand({ KeyId: KMS_KEY.arn }));

    expect(name).toBe("MalformedPolicyDocumentException");
    expect(JSON.parse(output.Policy ?? "{}").Statement).toEqual([ownerRoot]);
  });

  it("denies the consumer account", async () => {
    const consumer = new KMSClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.consumerIdentityCenter)));

    const describe = await errorName(consumer.send(new DescribeKeyCommand({ KeyId: KMS_KEY.arn })));
    const put = await errorName(consumer.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: keyPolicy() })));
    consumer.destroy();

    expect(describe).toBe("AccessDeniedException");
    expect(put).toBe("AccessDeniedException");
  });
});
