import { IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUCKET,
  CONSUMER_ACCOUNT,
  IDENTITY_CENTER,
  IDENTITY_STORE_USERS,
  KMS_KEY,
  PERMISSION_SET_NAME,
  ROLES,
  SEED_BUCKET_POLICY,
  SEED_KEY_POLICY,
} from "./scenario";
import { startTestSandbox, type TestCredentials, type TestSandbox } from "./testing";

// Object calls are authorized with the bucket policy, the key policy and the
// caller's role policies. This suite shares one grant, set up once.
let sandbox: TestSandbox;
let owner: S3Client;
let reservedRoleArn: string;
let grantee: S3Client;
let dataEngineer: S3Client;

const bucketArn = `arn:aws:s3:::${BUCKET.name}`;
const shared = "client-data/";
const [auditor1, auditor2] = IDENTITY_STORE_USERS;
let identityCenter: TestCredentials;

const readPolicy = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${shared}*` },
    { Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [shared, `${shared}*`] } } },
    { Effect: "Allow", Action: "kms:Decrypt", Resource: KMS_KEY.arn },
  ],
};

const roleCondition = {
  ArnLike: {
    "aws:PrincipalArn": `arn:aws:iam::${CONSUMER_ACCOUNT.id}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${PERMISSION_SET_NAME}_????????????????`,
  },
};

const bucketPolicy = {
  ...SEED_BUCKET_POLICY,
  Statement: [
    ...SEED_BUCKET_POLICY.Statement,
    {
      Sid: "AccessPortalReadObjects",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:root` },
      Action: "s3:GetObject",
      Resource: `${bucketArn}/${shared}*`,
      Condition: roleCondition,
    },
    {
      Sid: "AccessPortalList",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:root` },
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { ...roleCondition, StringLike: { "s3:prefix": [shared, `${shared}*`] } },
    },
  ],
};

// NOTE: no kms:EncryptionContext:aws:s3:arn condition here, because
// @cloud-copilot/iam-simulate 0.1.173 ignores context keys with a colon
// in their variable part unless the project patches it.
const keyPolicy = {
  ...SEED_KEY_POLICY,
  Statement: [
    ...SEED_KEY_POLICY.Statement,
    {
      Sid: "AccessPortalDecrypt",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { ...roleCondition, StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
    },
  ],
};

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error("expected the call to fail");
}

/** Creates the permission set and assigns it to auditor1, which provisions its role; returns the role ARN. */
async function assignReservedRole(): Promise<string> {
  const sso = new SSOAdminClient(sandbox.clientConfig(identityCenter));
  const InstanceArn = IDENTITY_CENTER.instanceArn;
  const created = await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name: PERMISSION_SET_NAME }));
  const PermissionSetArn = created.PermissionSet?.PermissionSetArn ?? "";
  await sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn, InlinePolicy: JSON.stringify(readPolicy) }));
  const started = await sso.send(
    new CreateAccountAssignmentCommand({
      InstanceArn,
      PermissionSetArn,
      TargetId: CONSUMER_ACCOUNT.id,
      TargetType: "AWS_ACCOUNT",
      PrincipalType: "USER",
      PrincipalId: auditor1?.userId,
    }),
  );
  const AccountAssignmentCreationRequestId = started.AccountAssignmentCreationStatus?.RequestId ?? "";
  const deadline = Date.now() + 5000;
  let status = started.AccountAssignmentCreationStatus?.Status;
  while (status === "IN_PROGRESS" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const output = await sso.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn, AccountAssignmentCreationRequestId }));
    status = output.AccountAssignmentCreationStatus?.Status;
  }
  sso.destroy();
  expect(status).toBe("SUCCEEDED");

  const iam = new IAMClient(sandbox.clientConfig(identityCenter));
  const roles = await iam.send(new ListRolesCommand({ PathPrefix: "/aws-reserved/sso.amazonaws.com/" }));
  iam.destroy();
  return roles.Roles?.[0]?.Arn ?? "";
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ asyncDelayMs: 20 });
  const ownerCredentials = await sandbox.assumeRole(ROLES.ownerProvisioner);
  owner = new S3Client(sandbox.clientConfig(ownerCredentials));
  identityCenter = await sandbox.assumeRole(ROLES.consumerIdentityCenter);

  reservedRoleArn = await assignReservedRole();
  await owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: JSON.stringify(bucketPolicy) }));
  const kms = new KMSClient(sandbox.clientConfig(ownerCredentials));
  await kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: JSON.stringify(keyPolicy) }));
  kms.destroy();

  grantee = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(reservedRoleArn, identityCenter, auditor1?.userName)));
  dataEngineer = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(ROLES.consumerDataEngineer, identityCenter)));
});

afterAll(async () => {
  for (const client of [owner, grantee, dataEngineer]) client.destroy();
  await sandbox.stop();
});

describe("S3 object calls", () => {
  it("lets the owner list, read and write", async () => {
    const listed = await owner.send(new ListObjectsV2Command({ Bucket: BUCKET.name, Prefix: "internal-files/" }));
    const written = await owner.send(new PutObjectCommand({ Bucket: BUCKET.name, Key: "internal-files/new.txt", Body: "new" }));
    const read = await owner.send(new GetObjectCommand({ Bucket: BUCKET.name, Key: "internal-files/new.txt" }));

    expect(listed.KeyCount).toBe(1);
    expect(written.ServerSideEncryption).toBe("aws:kms");
    expect(written.SSEKMSKeyId).toBe(KMS_KEY.arn);
    expect(await read.Body?.transformToString()).toBe("new");
  });

  it("applies the foreign deny to the owner too", async () => {
    const name = await errorName(owner.send(new DeleteObjectCommand({ Bucket: BUCKET.name, Key: "logs/access-2024-12-01.log" })));
    const elsewhere = await owner.send(new DeleteObjectCommand({ Bucket: BUCKET.name, Key: "archive/2019/ledger.csv" }));

    expect(name).toBe("AccessDenied");
    expect(elsewhere.$metadata.httpStatusCode).toBe(204);
  });

  it("lets the granted role read the shared folder", async () => {
    const listed = await grantee.send(new ListObjectsV2Command({ Bucket: BUCKET.name, Prefix: shared, Delimiter: "/" }));
    const read = await grantee.send(
      new GetObjectCommand({ Bucket: BUCKET.name, Key: "client-data/audit-reports/2024-annual-audit.txt" }),
    );

    expect(reservedRoleArn).toMatch(/AWSReservedSSO_CrossAccountS3Access_[0-9a-f]{16}$/);
    expect(listed.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual([
      "client-data/audit-reports/",
      "client-data/financial-statements/",
      "client-data/supporting-documents/",
    ]);
    expect(await read.Body?.transformToString()).toContain("Annual audit report");
  });

  it("keeps the granted role out of other folders and writes", async () => {
    const outside = await errorName(grantee.send(new GetObjectCommand({ Bucket: BUCKET.name, Key: "internal-files/board-minutes-2024-11.txt" })));
    const root = await errorName(grantee.send(new ListObjectsV2Command({ Bucket: BUCKET.name })));
    const write = await errorName(grantee.send(new PutObjectCommand({ Bucket: BUCKET.name, Key: "client-data/x.txt", Body: "x" })));

    expect(outside).toBe("AccessDenied");
    expect(root).toBe("AccessDenied");
    expect(write).toBe("AccessDenied");
  });

  it("keeps other consumer roles out despite their own policy", async () => {
    const name = await errorName(
      dataEngineer.send(new GetObjectCommand({ Bucket: BUCKET.name, Key: "client-data/audit-reports/2024-annual-audit.txt" })),
    );

    expect(name).toBe("AccessDenied");
  });

  it("gives role sessions to assigned users only", async () => {
    const unassigned = await sandbox
      .assumeRole(reservedRoleArn, identityCenter, auditor2?.userName)
      .then(
        () => "issued",
        (error: Error) => error.name,
      );
    const anonymous = await sandbox.assumeRole(reservedRoleArn, identityCenter).then(
      () => "issued",
      (error: Error) => error.name,
    );

    expect(unassigned).toBe("AccessDenied");
    expect(anonymous).toBe("AccessDenied");
  });

  it("applies a revoke deny by user ID", async () => {
    const revoke = {
      Sid: "AccessPortalRevoke",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [bucketArn, `${bucketArn}/${shared}*`],
      Condition: {
        StringEquals: { "identitystore:UserId": auditor1?.userId },
        DateLessThan: { "aws:TokenIssueTime": new Date(Date.now() + 60_000).toISOString() },
      },
    };
    await owner.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET.name,
        Policy: JSON.stringify({ ...bucketPolicy, Statement: [...bucketPolicy.Statement, revoke] }),
      }),
    );

    const name = await errorName(
      grantee.send(new GetObjectCommand({ Bucket: BUCKET.name, Key: "client-data/audit-reports/2024-annual-audit.txt" })),
    );
    await owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: JSON.stringify(bucketPolicy) }));
    const restored = await grantee.send(
      new GetObjectCommand({ Bucket: BUCKET.name, Key: "client-data/audit-reports/2024-annual-audit.txt" }),
    );

    expect(name).toBe("AccessDenied");
    expect(restored.$metadata.httpStatusCode).toBe(200);
  });

  it("needs the key policy to decrypt", async () => {
    const kms = new KMSClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));
    await kms.send(new PutKeyPolicyCommand({ KeyId: KMS_KEY.arn, Policy: JSON.stringify(SEED_KEY_POLICY) }));
    kms.destroy();

    const failure = await grantee
      .send(new GetObjectCommand({ Bucket: BUCKET.name, Key: "client-data/audit-reports/2024-annual-audit.txt" }))
      .then(
        () => null,
        (error: Error) => error,
      );

    expect(failure?.name).toBe("AccessDenied");
    expect(failure?.message).toContain("kms:Decrypt");
  });
});
