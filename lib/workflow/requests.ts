import type { z } from "zod";
import { getDb, type Tx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { enqueueGrantChange, getBoss } from "@/lib/jobs/queue";
import { createProvisioningSteps } from "@/lib/workflow/steps";
import { previewRequest } from "@/lib/workflow/preview";
import type { cancelRequestSchema, createRequestSchema, decideRequestSchema } from "@/lib/workflow/schemas";

const OPEN_REQUEST_STATUSES = ["PENDING_CONSUMER", "PENDING_OWNER"] as const;
const LIVE_GRANT_STATUSES = ["PENDING", "PROVISIONING", "ACTIVE", "REVOKING"] as const;

function actorRef(actor: Actor) {
  return { id: actor.id, email: actor.email };
}

/** Creates a pending access request for the actor, who must be a requester of the dataset's consumer account. */
export async function createAccessRequest(actor: Actor, input: z.infer<typeof createRequestSchema>) {
  if (!actor.roles.includes("REQUESTER")) throw new AppError("FORBIDDEN", "Only requesters can ask for access.");
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId } });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found.", { field: "datasetId" });
  if (dataset.consumerAccountId !== actor.accountId) {
    throw new AppError("FORBIDDEN", "This dataset is not shared with your account.", { field: "datasetId" });
  }
  if (!actor.ssoUserName) {
    throw new AppError("FORBIDDEN", "Your profile has no Identity Center user name, so access cannot be assigned to you.");
  }
  if (input.durationHours > dataset.maxDurationHours) {
    throw new AppError("INVALID_INPUT", `Period must be at most ${dataset.maxDurationHours} hours for this dataset.`, {
      field: "durationHours",
    });
  }

  return db.$transaction(async (tx) => {
    // Serializes concurrent submissions of one person, so the duplicate check below holds.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`request:${actor.id}:${dataset.id}`}))`;
    const open = await tx.accessRequest.findFirst({
      where: { requesterId: actor.id, datasetId: dataset.id, accessLevel: input.accessLevel, status: { in: [...OPEN_REQUEST_STATUSES] } },
    });
    const live = await tx.grant.findFirst({
      where: { personId: actor.id, datasetId: dataset.id, accessLevel: input.accessLevel, status: { in: [...LIVE_GRANT_STATUSES] } },
    });
    if (open || live) {
      throw new AppError("CONFLICT", "You already have an open request or a live grant for this dataset and access level.");
    }
    const request = await tx.accessRequest.create({
      data: {
        requesterId: actor.id,
        datasetId: dataset.id,
        accessLevel: input.accessLevel,
        durationHours: input.durationHours,
        justification: input.justification,
      },
    });
    await recordAudit(tx, {
      action: "request.created",
      actor: actorRef(actor),
      subjectType: "request",
      subjectId: request.id,
      data: {
        dataset: dataset.name,
        accessLevel: input.accessLevel,
        durationHours: input.durationHours,
        justification: input.justification,
      },
    });
    return request;
  });
}

/** Withdraws one of the actor's own pending requests. */
export async function cancelAccessRequest(actor: Actor, input: z.infer<typeof cancelRequestSchema>) {
  if (!actor.roles.includes("REQUESTER")) throw new AppError("FORBIDDEN", "Only requesters can cancel requests.");
  return getDb().$transaction(async (tx) => {
    const request = await lockRequest(tx, input.requestId);
    // Another person's request is reported as not found, so ids cannot be probed.
    if (!request || request.requesterId !== actor.id) throw new AppError("NOT_FOUND", "Request not found.");
    if (!isOpen(request.status)) throw new AppError("CONFLICT", `The request is ${request.status.toLowerCase()} and can no longer be cancelled.`);
    await tx.accessRequest.update({ where: { id: request.id }, data: { status: "CANCELLED" } });
    await recordAudit(tx, { action: "request.cancelled", actor: actorRef(actor), subjectType: "request", subjectId: request.id });
  });
}

/**
 * Rejects a final approval whose policy change cannot be planned or whose proof
 * fails. Planning fails on an exceeded limit, or a live policy that is not JSON or
 * was edited by hand. So nothing is approved that provisioning would give up on.
 */
async function checkFinalApprovalPlan(actor: Actor, input: z.infer<typeof decideRequestSchema>): Promise<void> {
  if (input.decision !== "APPROVE") return;
  const request = await getDb().accessRequest.findUnique({ where: { id: input.requestId }, include: { dataset: true } });
  // Anyone else is rejected by the checks in the transaction, without reading AWS.
  const owner = actor.roles.includes("DATA_OWNER") && actor.accountId === request?.dataset.ownerAccountId;
  if (request?.status !== "PENDING_OWNER" || !owner || request.requesterId === actor.id) return;
  const preview = await previewRequest(input.requestId);
  if ("error" in preview) throw new AppError("CONFLICT", `The policy change cannot be planned: ${preview.error}`);
  if (!preview.proof.ok) throw new AppError("CONFLICT", "The proof of access of the planned policies failed; see the proof table before approving.");
}

function isOpen(status: string): boolean {
  return (OPEN_REQUEST_STATUSES as readonly string[]).includes(status);
}

async function lockRequest(tx: Tx, requestId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "AccessRequest" WHERE id = ${requestId}::uuid FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.accessRequest.findUnique({ where: { id: requestId }, include: { dataset: true } });
}

/**
 * Records an approver's decision on the stage the request is in. The consumer stage
 * needs consumer approvers of the dataset's consumer account, the owner stage data
 * owners of its owner account. When the last stage is approved, the grant and its
 * provisioning job are created in the same transaction.
 */
export async function decideAccessRequest(actor: Actor, input: z.infer<typeof decideRequestSchema>) {
  const boss = await getBoss();
  await checkFinalApprovalPlan(actor, input);
  return getDb().$transaction(async (tx) => {
    const request = await lockRequest(tx, input.requestId);
    if (!request) throw new AppError("NOT_FOUND", "Request not found.");
    if (!isOpen(request.status)) throw new AppError("CONFLICT", `The request is already ${request.status.toLowerCase().replace("_", " ")}.`);

    const stage = request.status === "PENDING_CONSUMER" ? "CONSUMER" : "OWNER";
    const dataset = request.dataset;
    const allowed =
      stage === "CONSUMER"
        ? actor.roles.includes("CONSUMER_APPROVER") && actor.accountId === dataset.consumerAccountId
        : actor.roles.includes("DATA_OWNER") && actor.accountId === dataset.ownerAccountId;
    if (!allowed) {
      const needed = stage === "CONSUMER" ? "a consumer approver of the consumer account" : "a data owner of the owner account";
      throw new AppError("FORBIDDEN", `This request waits for ${needed}.`);
    }
    if (request.requesterId === actor.id) throw new AppError("FORBIDDEN", "You cannot decide on your own request.");

    const earlier = await tx.approval.findUnique({ where: { requestId_approverId: { requestId: request.id, approverId: actor.id } } });
    if (earlier) throw new AppError("CONFLICT", "You have already decided on this request; one person's decision counts once.");

    await tx.approval.create({
      data: { requestId: request.id, stage, approverId: actor.id, decision: input.decision, comment: input.comment },
    });
    const auditData = { stage, comment: input.comment };

    if (input.decision === "REJECT") {
      await tx.accessRequest.update({ where: { id: request.id }, data: { status: "REJECTED" } });
      await recordAudit(tx, { action: "request.rejected", actor: actorRef(actor), subjectType: "request", subjectId: request.id, data: auditData });
      return { status: "REJECTED" as const };
    }

    await recordAudit(tx, { action: "request.approved", actor: actorRef(actor), subjectType: "request", subjectId: request.id, data: auditData });
    const approvals = await tx.approval.count({ where: { requestId: request.id, stage, decision: "APPROVE" } });
    const required = stage === "CONSUMER" ? dataset.consumerApprovalsRequired : dataset.ownerApprovalsRequired;
    if (approvals < required) return { status: request.status };

    if (stage === "CONSUMER") {
      await tx.accessRequest.update({ where: { id: request.id }, data: { status: "PENDING_OWNER" } });
      return { status: "PENDING_OWNER" as const };
    }

    await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED" } });
    const permissionSetName = request.accessLevel === "READ" ? dataset.readPermissionSetName : dataset.readWritePermissionSetName;
    const grant = await tx.grant.create({
      data: {
        requestId: request.id,
        personId: request.requesterId,
        datasetId: dataset.id,
        accessLevel: request.accessLevel,
        permissionSetName,
      },
    });
    await createProvisioningSteps(tx, grant.id, "PROVISION");
    await recordAudit(tx, {
      action: "grant.created",
      actor: actorRef(actor),
      subjectType: "grant",
      subjectId: grant.id,
      data: { requestId: request.id, permissionSetName, durationHours: request.durationHours },
    });
    await enqueueGrantChange(boss, tx, { grantId: grant.id, operation: "provision" }, dataset.bucketName);
    return { status: "APPROVED" as const, grantId: grant.id };
  });
}
