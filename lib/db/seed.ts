import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { BUCKET, CONSUMER_ACCOUNT, IDENTITY_CENTER, KMS_KEY, OWNER_ACCOUNT, PERMISSION_SET_NAME, ROLES } from "@/sandbox/scenario";

export const SEED_PEOPLE: { email: string; name: string; roles: Role[]; accountId: string; ssoUserName?: string }[] = [
  { email: "auditor1@auditfirm.com", name: "Alex Morgan", roles: ["REQUESTER"], accountId: CONSUMER_ACCOUNT.id, ssoUserName: "auditor1@auditfirm.com" },
  { email: "auditor2@auditfirm.com", name: "Jamie Chen", roles: ["REQUESTER"], accountId: CONSUMER_ACCOUNT.id, ssoUserName: "auditor2@auditfirm.com" },
  { email: "audit.manager@auditfirm.example", name: "Priya Natarajan", roles: ["CONSUMER_APPROVER"], accountId: CONSUMER_ACCOUNT.id },
  { email: "data.owner@efs.example", name: "Daniel Okafor", roles: ["DATA_OWNER"], accountId: OWNER_ACCOUNT.id },
  { email: "compliance@efs.example", name: "Maria Rossi", roles: ["COMPLIANCE_REVIEWER"], accountId: OWNER_ACCOUNT.id },
  { email: "admin@efs.example", name: "Sam Lee", roles: ["ADMINISTRATOR"], accountId: OWNER_ACCOUNT.id },
];

export const SEED_DATASET_NAME = "Client data";

/** Inserts the sandbox scenario's accounts, people and dataset; rows that exist are left as they are. */
export async function seedDatabase(db: PrismaClient): Promise<void> {
  await db.awsAccount.upsert({
    where: { id: OWNER_ACCOUNT.id },
    update: {},
    create: { id: OWNER_ACCOUNT.id, name: OWNER_ACCOUNT.name, kind: "OWNER", region: BUCKET.region, roleArn: ROLES.ownerProvisioner },
  });
  await db.awsAccount.upsert({
    where: { id: CONSUMER_ACCOUNT.id },
    update: {},
    create: {
      id: CONSUMER_ACCOUNT.id,
      name: CONSUMER_ACCOUNT.name,
      kind: "CONSUMER",
      region: IDENTITY_CENTER.region,
      roleArn: ROLES.consumerIdentityCenter,
      ssoInstanceArn: IDENTITY_CENTER.instanceArn,
      identityStoreId: IDENTITY_CENTER.identityStoreId,
    },
  });
  for (const person of SEED_PEOPLE) {
    await db.person.upsert({ where: { email: person.email }, update: {}, create: person });
  }
  await db.dataset.upsert({
    where: { name: SEED_DATASET_NAME },
    update: {},
    create: {
      name: SEED_DATASET_NAME,
      description: "Audit reports, financial statements and supporting documents for the external audit.",
      bucketName: BUCKET.name,
      bucketRegion: BUCKET.region,
      prefix: "client-data/",
      kmsKeyArn: KMS_KEY.arn,
      ownerAccountId: OWNER_ACCOUNT.id,
      consumerAccountId: CONSUMER_ACCOUNT.id,
      maxDurationHours: 72,
      readPermissionSetName: "CrossAccountS3Read",
      readWritePermissionSetName: PERMISSION_SET_NAME,
      sessionDurationHours: 1,
    },
  });
}
