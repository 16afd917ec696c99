import { createHash } from "node:crypto";
import {
  BUCKET,
  CONSUMER_ACCOUNT,
  IDENTITY_CENTER,
  IDENTITY_STORE_GROUP,
  IDENTITY_STORE_USERS,
  KMS_KEY,
  OWNER_ACCOUNT,
  ROLES,
  SEED_BUCKET_POLICY,
  SEED_KEY_POLICY,
  SEED_OBJECTS,
} from "./scenario";
import { STATE_VERSION, type ObjectRecord, type RoleRecord, type SandboxState } from "./state";

const SEED_DATE = "2024-11-04T09:30:00.000Z";

/** Derives a stable IAM unique ID (such as AROA… for roles) from a name, so reseeding gives the same IDs. */
export function stableUniqueId(prefix: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest("hex").toUpperCase();
  return prefix + digest.replace(/[^A-Z0-9]/g, "").slice(0, 17);
}

function trustPolicyFor(accountIds: string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: accountIds.map((id) => `arn:aws:iam::${id}:root`) },
        Action: "sts:AssumeRole",
      },
    ],
  });
}

export function roleFromArn(arn: string, trustPolicy: string, createDate = SEED_DATE): RoleRecord {
  const match = /^arn:aws:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (!match) throw new Error(`Invalid role ARN: ${arn}`);
  const [, accountId = "", path = "/", name = ""] = match;
  return {
    accountId,
    name,
    path,
    arn,
    roleId: stableUniqueId("AROA", arn),
    createDate,
    trustPolicy,
    maxSessionDuration: 3600,
    inlinePolicies: {},
  };
}

function allowPolicy(actions: string[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
}

function seedObject(body: string, contentType: string): ObjectRecord {
  const bytes = Buffer.from(body, "utf8");
  return {
    body: bytes.toString("base64"),
    contentType,
    etag: `"${createHash("md5").update(bytes).digest("hex")}"`,
    lastModified: SEED_DATE,
    kmsKeyArn: KMS_KEY.arn,
  };
}

/** Builds the seeded scenario: two accounts, the shared bucket and key, Identity Center with two auditors. */
export function createSeedState(): SandboxState {
  const provisioner = roleFromArn(ROLES.ownerProvisioner, trustPolicyFor([OWNER_ACCOUNT.id]));
  provisioner.inlinePolicies.ProvisionerAccess = allowPolicy(["s3:*", "kms:*"]);
  // The portal runs with owner-account credentials and reaches Identity Center through this role.
  const identityCenterRole = roleFromArn(
    ROLES.consumerIdentityCenter,
    trustPolicyFor([OWNER_ACCOUNT.id, CONSUMER_ACCOUNT.id]),
  );
  identityCenterRole.inlinePolicies.IdentityCenterAccess = allowPolicy(["sso:*", "identitystore:*", "iam:ListRoles"]);
  // A consumer role whose own policy allows all of S3 and the key: the
  // bucket and key policies alone must keep it out of the shared folder.
  const dataEngineer = roleFromArn(ROLES.consumerDataEngineer, trustPolicyFor([CONSUMER_ACCOUNT.id]));
  dataEngineer.inlinePolicies.DataEngineerAccess = allowPolicy(["s3:*", "kms:Decrypt", "kms:GenerateDataKey"]);
  const roles = [provisioner, identityCenterRole, dataEngineer];

  const users = IDENTITY_STORE_USERS.map((user) => ({
    userId: user.userId,
    userName: user.userName,
    displayName: `${user.givenName} ${user.familyName}`,
    givenName: user.givenName,
    familyName: user.familyName,
    email: user.userName,
  }));

  return {
    version: STATE_VERSION,
    accounts: {
      [OWNER_ACCOUNT.id]: { ...OWNER_ACCOUNT },
      [CONSUMER_ACCOUNT.id]: { ...CONSUMER_ACCOUNT },
    },
    roles: Object.fromEntries(roles.map((role) => [role.arn, role])),
    buckets: {
      [BUCKET.name]: {
        name: BUCKET.name,
        accountId: BUCKET.accountId,
        region: BUCKET.region,
        createdDate: SEED_DATE,
        policy: JSON.stringify(SEED_BUCKET_POLICY),
        encryption: { algorithm: "aws:kms", kmsKeyId: KMS_KEY.arn, bucketKeyEnabled: false },
        objectOwnership: "BucketOwnerEnforced",
        objects: Object.fromEntries(
          SEED_OBJECTS.map((object) => [object.key, seedObject(object.body, object.contentType)]),
        ),
      },
    },
    keys: {
      [KMS_KEY.arn]: {
        keyId: KMS_KEY.keyId,
        arn: KMS_KEY.arn,
        accountId: KMS_KEY.accountId,
        region: KMS_KEY.region,
        description: `Default encryption key of ${BUCKET.name}`,
        createdDate: SEED_DATE,
        keyManager: "CUSTOMER",
        keyState: "Enabled",
        multiRegion: true,
        aliases: [KMS_KEY.alias],
        policy: JSON.stringify(SEED_KEY_POLICY, null, 2),
      },
    },
    identityCenter: {
      instanceArn: IDENTITY_CENTER.instanceArn,
      identityStoreId: IDENTITY_CENTER.identityStoreId,
      accountId: IDENTITY_CENTER.accountId,
      region: IDENTITY_CENTER.region,
      name: IDENTITY_CENTER.name,
      createdDate: SEED_DATE,
      users: Object.fromEntries(users.map((user) => [user.userId, user])),
      groups: {
        [IDENTITY_STORE_GROUP.groupId]: {
          groupId: IDENTITY_STORE_GROUP.groupId,
          displayName: IDENTITY_STORE_GROUP.displayName,
          description: IDENTITY_STORE_GROUP.description,
          memberUserIds: [...IDENTITY_STORE_GROUP.memberUserIds],
        },
      },
      permissionSets: {},
      provisioned: [],
      assignments: [],
      operations: {},
    },
    sessions: {},
  };
}
