-- CreateEnum
CREATE TYPE "Role" AS ENUM ('REQUESTER', 'CONSUMER_APPROVER', 'DATA_OWNER', 'COMPLIANCE_REVIEWER', 'ADMINISTRATOR');
CREATE TYPE "AccountKind" AS ENUM ('OWNER', 'CONSUMER');
CREATE TYPE "AccessLevel" AS ENUM ('READ', 'READ_WRITE');
CREATE TYPE "RequestStatus" AS ENUM ('PENDING_CONSUMER', 'PENDING_OWNER', 'APPROVED', 'REJECTED', 'CANCELLED');
CREATE TYPE "ApprovalStage" AS ENUM ('CONSUMER', 'OWNER');
CREATE TYPE "Decision" AS ENUM ('APPROVE', 'REJECT');
CREATE TYPE "GrantStatus" AS ENUM ('PENDING', 'PROVISIONING', 'ACTIVE', 'REVOKING', 'EXPIRED', 'REVOKED', 'FAILED');
CREATE TYPE "StepOperation" AS ENUM ('PROVISION', 'DEPROVISION');
CREATE TYPE "StepKind" AS ENUM ('PERMISSION_SET', 'ACCOUNT_ASSIGNMENT', 'BUCKET_POLICY', 'KEY_POLICY', 'VERIFY');
CREATE TYPE "StepStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "AwsAccount" (
    "id" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AccountKind" NOT NULL,
    "region" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "ssoInstanceArn" TEXT,
    "identityStoreId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AwsAccount_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "roles" "Role"[],
    "accountId" VARCHAR(12) NOT NULL,
    "ssoUserName" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Dataset" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "bucketName" TEXT NOT NULL,
    "bucketRegion" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "kmsKeyArn" TEXT NOT NULL,
    "bucketKeyEnabled" BOOLEAN NOT NULL DEFAULT false,
    "ownerAccountId" VARCHAR(12) NOT NULL,
    "consumerAccountId" VARCHAR(12) NOT NULL,
    "maxDurationHours" INTEGER NOT NULL,
    "readPermissionSetName" TEXT NOT NULL,
    "readWritePermissionSetName" TEXT NOT NULL,
    "sessionDurationHours" INTEGER NOT NULL DEFAULT 1,
    "consumerApprovalsRequired" INTEGER NOT NULL DEFAULT 1,
    "ownerApprovalsRequired" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AccessRequest" (
    "id" UUID NOT NULL,
    "requesterId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "accessLevel" "AccessLevel" NOT NULL,
    "durationHours" INTEGER NOT NULL,
    "justification" TEXT NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING_CONSUMER',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Approval" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "stage" "ApprovalStage" NOT NULL,
    "approverId" UUID NOT NULL,
    "decision" "Decision" NOT NULL,
    "comment" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Grant" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "accessLevel" "AccessLevel" NOT NULL,
    "permissionSetName" TEXT NOT NULL,
    "status" "GrantStatus" NOT NULL DEFAULT 'PENDING',
    "startsAt" TIMESTAMPTZ(3),
    "endsAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "identityStoreUserId" TEXT,
    "permissionSetArn" TEXT,
    "proof" JSONB,
    "lastError" TEXT,
    "endReason" TEXT,
    "endComment" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ProvisioningStep" (
    "id" UUID NOT NULL,
    "grantId" UUID NOT NULL,
    "operation" "StepOperation" NOT NULL,
    "kind" "StepKind" NOT NULL,
    "position" INTEGER NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "awsRequestIds" TEXT[],
    "detail" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    CONSTRAINT "ProvisioningStep_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AuditEvent" (
    "sequence" BIGINT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" UUID,
    "actorEmail" TEXT,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("sequence")
);

-- CreateIndex
CREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");
CREATE UNIQUE INDEX "Dataset_bucketName_prefix_key" ON "Dataset"("bucketName", "prefix");
CREATE INDEX "AccessRequest_status_idx" ON "AccessRequest"("status");
CREATE INDEX "AccessRequest_requesterId_idx" ON "AccessRequest"("requesterId");
CREATE UNIQUE INDEX "Approval_requestId_approverId_key" ON "Approval"("requestId", "approverId");
CREATE UNIQUE INDEX "Grant_requestId_key" ON "Grant"("requestId");
CREATE INDEX "Grant_status_endsAt_idx" ON "Grant"("status", "endsAt");
CREATE INDEX "Grant_datasetId_status_idx" ON "Grant"("datasetId", "status");
CREATE UNIQUE INDEX "ProvisioningStep_grantId_operation_kind_key" ON "ProvisioningStep"("grantId", "operation", "kind");
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");
CREATE INDEX "AuditEvent_occurredAt_idx" ON "AuditEvent"("occurredAt");

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_ownerAccountId_fkey" FOREIGN KEY ("ownerAccountId") REFERENCES "AwsAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_consumerAccountId_fkey" FOREIGN KEY ("consumerAccountId") REFERENCES "AwsAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProvisioningStep" ADD CONSTRAINT "ProvisioningStep_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit trail is append-only: UPDATE, DELETE and TRUNCATE are rejected for every role.
CREATE FUNCTION "audit_event_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'AuditEvent rows are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only"
    BEFORE UPDATE OR DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "audit_event_reject_change"();

CREATE TRIGGER "AuditEvent_no_truncate"
    BEFORE TRUNCATE ON "AuditEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_change"();
