import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { getDb } from "@/lib/db";
import { SEED_DATASET_NAME } from "@/lib/db/seed";
import { getActor } from "@/lib/auth/actor";
import { signInAs } from "@/test/session";
import { createAccessRequest, decideAccessRequest } from "@/lib/workflow/requests";
import { retryGrant, revokeGrant } from "@/lib/workflow/grants";
import { removeExpiredSessionDeny } from "@/lib/workflow/session-deny";
import { startWorkers } from "@/lib/jobs/worker";
import { stopBoss } from "@/lib/jobs/queue";
import { getAws } from "@/lib/workflow/aws";
import { verifyAuditChain } from "@/lib/audit/log";
import { BUCKET, FOREIGN_BUCKET_STATEMENT_SID, KMS_KEY, SEED_BUCKET_POLICY } from "@/sandbox/scenario";
import type { Actor } from "@/lib/auth/actor";

const db = getDb();
const sandboxUrl = inject("sandboxUrl");
let stopSweep: (() => void) | undefined;

async function actorFor(email: string): Promise<Actor> {
  await signInAs(email);
  const actor = await getActor();
  if (!actor) throw new Error(`no person ${email}`);
  return actor;
}

async function injectFault(fault: Record<string, unknown>) {
  const response = await fetch(`${sandboxUrl}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
  expect(response.ok).toBe(true);
}

async function approveToGrant(requesterEmail: string, accessLevel: "READ" | "READ_WRITE"): Promise<string> {
  const dataset = await db.dataset.findUniqueOrThrow({ where: { name: SEED_DATASET_NAME } });
  const request = await createAccessRequest(await actorFor(requesterEmail), { datasetId: dataset.id, accessLevel, durationHours: 2, justification: "Integration test of provisioning" });
  await decideAccessRequest(await actorFor("audit.manager@auditfirm.example"), { requestId: request.id, decision: "APPROVE", comment: "" });
  const result = await decideAccessRequest(await actorFor("data.owner@efs.example"), { requestId: request.id, decision: "APPROVE", comment: "ok" });
  if (!("grantId" in result) || !result.grantId) throw new Error("no grant created");
  return result.grantId;
}

async function statusOf(grantId: string) {
  return (await db.grant.findUniqueOrThrow({ where: { id: grantId } })).status;
}

function parsedStatements(policy: string | null): { Sid?: string; Effect: string }[] {
  return policy ? (JSON.parse(policy) as { Statement: { Sid?: string; Effect: string }[] }).Statement : [];
}

beforeAll(async () => {
  stopSweep = await startWorkers({ sweepSeconds: 1, pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  stopSweep?.();
  await stopBoss();
});

describe("provisioning job", () => {
  it("provisions, records every step and revokes", async () => {
    const grantId = await approveToGrant("auditor1@auditfirm.com", "READ_WRITE");
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("ACTIVE");

    const grant = await db.grant.findUniqueOrThrow({ where: { id: grantId }, include: { steps: true } });
    expect(grant.steps.map((step) => `${step.kind}:${step.status}`).sort()).toEqual(
      ["ACCOUNT_ASSIGNMENT", "BUCKET_POLICY", "KEY_POLICY", "PERMISSION_SET", "VERIFY"].map((kind) => `${kind}:SUCCEEDED`),
    );
    for (const step of grant.steps) expect(step.awsRequestIds.length, step.kind).toBeGreaterThan(0);
    expect((grant.proof as { ok: boolean } | null)?.ok).toBe(true);
    expect(grant.endsAt?.getTime()).toBe((grant.startsAt?.getTime() ?? 0) + 2 * 3600_000);

    const aws = getAws();
    const bucket = parsedStatements((await aws.getBucketPolicy(BUCKET.name)).policy);
    expect(bucket.find((statement) => statement.Sid === FOREIGN_BUCKET_STATEMENT_SID)).toEqual(SEED_BUCKET_POLICY.Statement.find((statement) => statement.Sid === FOREIGN_BUCKET_STATEMENT_SID));
    expect(bucket.some((statement) => statement.Sid?.startsWith("AccessPortal") && statement.Effect === "Allow")).toBe(true);
    const key = parsedStatements((await aws.getKeyPolicy(KMS_KEY.arn)).policy);
    expect(key.some((statement) => statement.Sid?.startsWith("AccessPortal"))).toBe(true);

    await revokeGrant(await actorFor("data.owner@efs.example"), { grantId, comment: "test over" });
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("REVOKED");
    const afterRevoke = parsedStatements((await aws.getBucketPolicy(BUCKET.name)).policy);
    expect(afterRevoke.filter((statement) => statement.Sid?.startsWith("AccessPortal") && statement.Effect === "Allow")).toEqual([]);
    // The revoked person's sessions stay denied until their last session could end.
    expect(afterRevoke.some((statement) => statement.Sid?.startsWith("AccessPortal") && statement.Effect === "Deny")).toBe(true);
    const assignments = await aws.listAccountAssignments({ permissionSetArn: grant.permissionSetArn ?? "", accountId: "533267321107" });
    expect(assignments.map((assignment) => assignment.principalId)).not.toContain(grant.identityStoreUserId);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("retries a failed step and resumes after it", async () => {
    await injectFault({ service: "kms", operation: "PutKeyPolicy", error: { status: 400, code: "KMSInternalException", message: "injected" }, count: 1 });
    const grantId = await approveToGrant("auditor2@auditfirm.com", "READ_WRITE");
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("ACTIVE");
    const steps = await db.provisioningStep.findMany({ where: { grantId, operation: "PROVISION" } });
    const keyStep = steps.find((step) => step.kind === "KEY_POLICY");
    expect(keyStep?.attempts).toBe(2);
    // Steps before the failure ran once: the retry resumed, it did not start over.
    expect(steps.find((step) => step.kind === "PERMISSION_SET")?.attempts).toBe(1);
    const failures = await db.auditEvent.findMany({ where: { subjectId: grantId, action: "grant.step_failed" } });
    expect(failures).toHaveLength(1);
  });

  it("marks the grant failed after the last retry", async () => {
    // The policy documents may already hold what this grant needs (people add no
    // statements), so the fault hits a call that every provisioning makes.
    await injectFault({ service: "s3", operation: "GetBucketPolicyStatus", error: { status: 403, code: "AccessDenied", message: "injected" }, count: 20 });
    await db.person.upsert({
      where: { email: "failing.requester@auditfirm.example" },
      update: {},
      create: { email: "failing.requester@auditfirm.example", name: "Failing Requester", roles: ["REQUESTER"], accountId: "533267321107", ssoUserName: "auditor2@auditfirm.com" },
    });
    const grantId = await approveToGrant("failing.requester@auditfirm.example", "READ_WRITE");
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("FAILED");
    const grant = await db.grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant.lastError).toMatch(/VERIFY/);
    expect(await db.auditEvent.count({ where: { subjectId: grantId, action: "grant.failed" } })).toBe(1);

    // Once the cause is gone, a data owner's retry resumes at the failed step.
    await fetch(`${sandboxUrl}/_sandbox/faults`, { method: "DELETE" });
    await retryGrant(await actorFor("data.owner@efs.example"), { grantId });
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("ACTIVE");
    const steps = await db.provisioningStep.findMany({ where: { grantId, operation: "PROVISION" } });
    expect(steps.find((step) => step.kind === "PERMISSION_SET")?.attempts).toBe(1);
    expect(steps.find((step) => step.kind === "VERIFY")?.attempts).toBe(5);
    await expect(retryGrant(await actorFor("data.owner@efs.example"), { grantId })).rejects.toThrow(/only a failed grant/);
  });
});

describe("failed provisioning", () => {
  it("can be revoked, removing what was applied", async () => {
    // Every step before the verification applies its change, so the grant fails holding access.
    await injectFault({ service: "s3", operation: "GetBucketPolicyStatus", error: { status: 403, code: "AccessDenied", message: "injected" }, count: 20 });
    await db.person.upsert({
      where: { email: "partial.requester@auditfirm.example" },
      update: {},
      create: { email: "partial.requester@auditfirm.example", name: "Partial Requester", roles: ["REQUESTER"], accountId: "533267321107", ssoUserName: "auditor1@auditfirm.com" },
    });
    const grantId = await approveToGrant("partial.requester@auditfirm.example", "READ_WRITE");
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("FAILED");
    await fetch(`${sandboxUrl}/_sandbox/faults`, { method: "DELETE" });

    await revokeGrant(await actorFor("data.owner@efs.example"), { grantId, comment: "provisioning failed" });
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("REVOKED");
    const steps = await db.provisioningStep.findMany({ where: { grantId, operation: "DEPROVISION" } });
    expect(steps.map((step) => step.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  });
});

describe("revoked-session deny", () => {
  it("leaves the bucket policy after the session duration", async () => {
    const grantId = await approveToGrant("auditor1@auditfirm.com", "READ");
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("ACTIVE");
    await revokeGrant(await actorFor("data.owner@efs.example"), { grantId, comment: "test over" });
    await expect.poll(() => statusOf(grantId), { timeout: 60_000, interval: 200 }).toBe("REVOKED");

    const aws = getAws();
    const grant = await db.grant.findUniqueOrThrow({ where: { id: grantId } });
    const denies = async () =>
      parsedStatements((await aws.getBucketPolicy(BUCKET.name)).policy).filter(
        (statement) =>
          statement.Effect === "Deny" &&
          JSON.stringify(statement).includes(grant.identityStoreUserId ?? "missing") &&
          JSON.stringify(statement).includes(`AWSReservedSSO_${grant.permissionSetName}_`),
      );
    expect(await denies()).toHaveLength(1);

    // Run early, the removal keeps the deny: sessions issued before the revoke may still live.
    await removeExpiredSessionDeny(grantId);
    expect(await denies()).toHaveLength(1);

    // Two hours later every such session has expired.
    await db.grant.update({ where: { id: grantId }, data: { endedAt: new Date(Date.now() - 2 * 3600_000) } });
    await removeExpiredSessionDeny(grantId);
    expect(await denies()).toHaveLength(0);
    expect(await db.auditEvent.count({ where: { subjectId: grantId, action: "grant.session_deny_removed" } })).toBe(1);
    const scheduled = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM pgboss.job WHERE data->>'grantId' = ${grantId} AND data->>'operation' = 'remove-session-deny'`;
    expect(scheduled[0]?.count).toBe(1n);
  });
});

describe("final approval", () => {
  it("is rejected when the plan fails", async () => {
    const aws = getAws();
    const original = (await aws.getBucketPolicy(BUCKET.name)).policy ?? "";
    const document = JSON.parse(original) as { Statement: { Sid?: string; Action?: string | string[] }[] };
    const managed = document.Statement.find((statement) => statement.Sid?.startsWith("AccessPortal") && statement.Sid.includes("Objects"));
    expect(managed).toBeDefined();
    // A hand edit of a statement the portal owns must stop the approval, not be overwritten.
    if (managed) managed.Action = "s3:*";
    await aws.putBucketPolicy(BUCKET.name, JSON.stringify(document));

    await db.person.upsert({
      where: { email: "blocked.requester@auditfirm.example" },
      update: {},
      create: { email: "blocked.requester@auditfirm.example", name: "Blocked Requester", roles: ["REQUESTER"], accountId: "533267321107", ssoUserName: "auditor2@auditfirm.com" },
    });
    const dataset = await db.dataset.findUniqueOrThrow({ where: { name: SEED_DATASET_NAME } });
    const request = await createAccessRequest(await actorFor("blocked.requester@auditfirm.example"), { datasetId: dataset.id, accessLevel: "READ", durationHours: 2, justification: "Blocked by a hand edit" });
    await decideAccessRequest(await actorFor("audit.manager@auditfirm.example"), { requestId: request.id, decision: "APPROVE", comment: "" });
    const approvalsBefore = await db.approval.count({ where: { requestId: request.id } });

    await expect(decideAccessRequest(await actorFor("data.owner@efs.example"), { requestId: request.id, decision: "APPROVE", comment: "ok" })).rejects.toThrow(/cannot be planned/);
    expect(await db.approval.count({ where: { requestId: request.id } })).toBe(approvalsBefore);
    expect((await db.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("PENDING_OWNER");
    expect(await db.grant.count({ where: { requestId: request.id } })).toBe(0);

    await aws.putBucketPolicy(BUCKET.name, original);
  });
});
