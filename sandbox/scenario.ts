// Identifiers of the seeded sandbox scenario. The portal's database seed
// imports these constants, so the two seeds name the same accounts, bucket,
// key and people.

export const REGION = "us-east-2";

export const OWNER_ACCOUNT = {
  id: "418649672840",
  name: "Enterprise Financial Services Corp",
} as const;

export const CONSUMER_ACCOUNT = {
  id: "533267321107",
  name: "External Audit Firm LLC",
} as const;

/** Any access key ID with this prefix signs as the portal's own IAM user in the owner account. */
export const SANDBOX_ACCESS_KEY_PREFIX = "AKIASANDBOX";

/** Sandbox-only credentials. The sandbox never checks signatures, so the secret is a placeholder. */
export const SANDBOX_CREDENTIALS = {
  accessKeyId: "AKIASANDBOXPORTAL001",
  secretAccessKey: "sandbox-secret-access-key-not-a-real-secret",
} as const;

export const PORTAL_USER = {
  accountId: OWNER_ACCOUNT.id,
  userName: "access-portal",
  arn: `arn:aws:iam::${OWNER_ACCOUNT.id}:user/access-portal`,
  userId: "AIDASANDBOXPORTAL0001",
} as const;

export const BUCKET = {
  name: "felix-bucket-123456-xyz",
  region: REGION,
  accountId: OWNER_ACCOUNT.id,
} as const;

export const KMS_KEY = {
  keyId: "mrk-5382d625177c4eb6839afe8ede6bf67e",
  arn: `arn:aws:kms:${REGION}:${OWNER_ACCOUNT.id}:key/mrk-5382d625177c4eb6839afe8ede6bf67e`,
  alias: "alias/felix-bucket-key",
  accountId: OWNER_ACCOUNT.id,
  region: REGION,
} as const;

export const ROLES = {
  ownerProvisioner: `arn:aws:iam::${OWNER_ACCOUNT.id}:role/AccessPortalProvisioner`,
  consumerIdentityCenter: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:role/AccessPortalIdentityCenter`,
  consumerDataEngineer: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:role/DataEngineer`,
} as const;

export const IDENTITY_CENTER = {
  instanceArn: "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
  identityStoreId: "d-9067a1b2c3",
  accountId: CONSUMER_ACCOUNT.id,
  region: REGION,
  name: "External Audit Firm",
} as const;

/** Path of the roles that Identity Center creates when it provisions a permission set (home Region us-east-2). */
export const RESERVED_SSO_ROLE_PATH = `/aws-reserved/sso.amazonaws.com/${REGION}/`;

/** Permission set that the portal creates on its first grant. It does not exist in the seed. */
export const PERMISSION_SET_NAME = "CrossAccountS3Access";

export const FOLDERS = {
  shared: ["client-data/"],
  sharedSubfolders: [
    "client-data/audit-reports/",
    "client-data/financial-statements/",
    "client-data/supporting-documents/",
  ],
  private: ["internal-files/", "archive/", "logs/"],
} as const;

export interface ScenarioUser {
  userId: string;
  userName: string;
  givenName: string;
  familyName: string;
}

/** Identity Store users of the consumer account. User IDs are fixed so that both seeds agree. */
export const IDENTITY_STORE_USERS: readonly ScenarioUser[] = [
  {
    userId: "c4f8e2a0-5071-70d3-9a1b-2e3f4a5b6c01",
    userName: "auditor1@auditfirm.com",
    givenName: "Alex",
    familyName: "Morgan",
  },
  {
    userId: "c4f8e2a0-5071-70d3-9a1b-2e3f4a5b6c02",
    userName: "auditor2@auditfirm.com",
    givenName: "Jamie",
    familyName: "Chen",
  },
];

export const IDENTITY_STORE_GROUP = {
  groupId: "a1b2c3d4-6081-7012-4f5e-6a7b8c9d0e01",
  displayName: "External-Auditors",
  description: "Auditors of External Audit Firm LLC who request access to client data",
  memberUserIds: IDENTITY_STORE_USERS.map((user) => user.userId),
} as const;

/** Sid of the seeded bucket-policy statement that the portal does not own and must keep. */
export const FOREIGN_BUCKET_STATEMENT_SID = "DenyDeleteOfAuditLogs";

export const SEED_BUCKET_POLICY = {
  Version: "2012-10-17",
  Id: "felix-bucket-policy",
  Statement: [
    {
      Sid: FOREIGN_BUCKET_STATEMENT_SID,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:DeleteObject",
      Resource: `arn:aws:s3:::${BUCKET.name}/logs/*`,
    },
  ],
} as const;

export const SEED_KEY_POLICY = {
  Version: "2012-10-17",
  Id: "key-consolepolicy-3",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT.id}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
} as const;

/** Small objects of the seeded bucket, one or two per folder. */
export const SEED_OBJECTS: readonly { key: string; body: string; contentType: string }[] = [
  {
    key: "client-data/audit-reports/2024-annual-audit.txt",
    body: "Annual audit report 2024: no material findings.\n",
    contentType: "text/plain",
  },
  {
    key: "client-data/audit-reports/2025-q1-review.txt",
    body: "Q1 2025 review: two minor findings, both remediated.\n",
    contentType: "text/plain",
  },
  {
    key: "client-data/financial-statements/balance-sheet-2024.csv",
    body: "item,amount\nassets,1250000\nliabilities,830000\n",
    contentType: "text/csv",
  },
  {
    key: "client-data/supporting-documents/bank-confirmation.txt",
    body: "Bank confirmation letter, reference BC-2024-117.\n",
    contentType: "text/plain",
  },
  {
    key: "internal-files/board-minutes-2024-11.txt",
    body: "Board minutes, November 2024. Internal only.\n",
    contentType: "text/plain",
  },
  {
    key: "archive/2019/ledger.csv",
    body: "year,entries\n2019,48213\n",
    contentType: "text/csv",
  },
  {
    key: "logs/access-2024-12-01.log",
    body: "2024-12-01T08:00:00Z GET client-data/audit-reports/2024-annual-audit.txt 200\n",
    contentType: "text/plain",
  },
];
