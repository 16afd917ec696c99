import { getDb } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import { logger } from "@/lib/log";
import { STEP_ORDER } from "@/lib/workflow/steps";
import { runStep, type StepContext, type StepResult } from "@/lib/workflow/step-runners";
import { enqueueGrantChange, getBoss, type GrantChangeJob } from "@/lib/jobs/queue";
import { sessionDenyEnd } from "@/lib/workflow/plan-input";
import { removeExpiredSessionDeny } from "@/lib/workflow/session-deny";
import type { StepOperation } from "@/lib/generated/prisma/enums";

export class StepFailedError extends Error {}

/**
 * Runs the pending steps of a grant's provisioning or deprovisioning in order. Each
 * step is idempotent and recorded with its outcome, AWS request ids and documents.
 * A step that already succeeded is skipped, so a retried job resumes where the last
 * attempt stopped. `finalAttempt` marks the grant failed when this attempt fails.
 */
export async function runGrantChange(job: GrantChangeJob, options: { finalAttempt: boolean }): Promise<void> {
  if (job.operation === "remove-session-deny") {
    await removeExpiredSessionDeny(job.grantId);
    return;
  }
  const db = getDb();
  const operation: StepOperation = job.operation === "provision" ? "PROVISION" : "DEPROVISION";
  const log = logger.child({ grantId: job.grantId, operation });
  const grant = await db.grant.findUnique({
    where: { id: job.grantId },
    include: { dataset: { include: { ownerAccount: true, consumerAccount: true } }, person: true, request: true },
  });
  if (!grant) {
    log.warn("grant not found; dropping job");
    return;
  }
  const expectedStatus = operation === "PROVISION" ? ["PENDING", "PROVISIONING", "FAILED"] : ["REVOKING"];
  if (!expectedStatus.includes(grant.status)) {
    log.info({ status: grant.status }, "grant is not waiting for this change; nothing to do");
    return;
  }

  if (operation === "PROVISION" && grant.status !== "PROVISIONING") {
    await db.$transaction(async (tx) => {
      await tx.grant.update({ where: { id: grant.id }, data: { status: "PROVISIONING", lastError: null } });
      await recordAudit(tx, { action: "grant.provisioning_started", actor: null, subjectType: "grant", subjectId: grant.id });
    });
  }

  const context: StepContext = { grant: { ...grant }, operation, log };
  for (const kind of STEP_ORDER[operation]) {
    const step = await db.provisioningStep.findUnique({ where: { grantId_operation_kind: { grantId: grant.id, operation, kind } } });
    if (!step || step.status === "SUCCEEDED") continue;

    await db.provisioningStep.update({
      where: { id: step.id },
      data: { status: "RUNNING", attempts: { increment: 1 }, startedAt: new Date(), error: null },
    });
    let result: StepResult;
    try {
      result = await runStep(kind, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error({ err: error, step: kind }, "provisioning step failed");
      await db.$transaction(async (tx) => {
        await tx.provisioningStep.update({ where: { id: step.id }, data: { status: "FAILED", error: message, finishedAt: new Date() } });
        await recordAudit(tx, { action: "grant.step_failed", actor: null, subjectType: "grant", subjectId: grant.id, data: { operation, step: kind, error: message } });
        if (options.finalAttempt) {
          await tx.grant.update({ where: { id: grant.id }, data: { status: "FAILED", lastError: `${kind}: ${message}` } });
          await recordAudit(tx, { action: "grant.failed", actor: null, subjectType: "grant", subjectId: grant.id, data: { operation, step: kind, error: message } });
        }
      });
      throw new StepFailedError(`${kind} failed: ${message}`);
    }

    const updated = await db.$transaction(async (tx) => {
      await tx.provisioningStep.update({
        where: { id: step.id },
        data: { status: "SUCCEEDED", awsRequestIds: result.requestIds, detail: result.detail as object, finishedAt: new Date() },
      });
      const changed = result.grantUpdate ? await tx.grant.update({ where: { id: grant.id }, data: result.grantUpdate }) : null;
      await recordAudit(tx, {
        action: "grant.step_succeeded",
        actor: null,
        subjectType: "grant",
        subjectId: grant.id,
        data: { operation, step: kind, awsRequestIds: result.requestIds, detail: result.detail },
      });
      return changed;
    });
    // Later steps read what earlier ones learned (user id, permission set ARN, end time).
    if (updated) context.grant = { ...context.grant, ...updated };
    log.info({ step: kind, awsRequestIds: result.requestIds }, "provisioning step succeeded");
  }

  const boss = await getBoss();
  await db.$transaction(async (tx) => {
    if (operation === "PROVISION") {
      const startsAt = new Date();
      const endsAt = new Date(startsAt.getTime() + grant.request.durationHours * 3600_000);
      await tx.grant.update({ where: { id: grant.id }, data: { status: "ACTIVE", startsAt, endsAt } });
      await recordAudit(tx, { action: "grant.activated", actor: null, subjectType: "grant", subjectId: grant.id, data: { startsAt, endsAt } });
    } else {
      const endedAt = context.grant.endedAt ?? new Date();
      const finalStatus = grant.endReason === "expired" ? "EXPIRED" : "REVOKED";
      await tx.grant.update({ where: { id: grant.id }, data: { status: finalStatus, endedAt } });
      await enqueueGrantChange(boss, tx, { grantId: grant.id, operation: "remove-session-deny" }, grant.dataset.bucketName, sessionDenyEnd(endedAt, grant.dataset.sessionDurationHours));
      await recordAudit(tx, {
        action: finalStatus === "EXPIRED" ? "grant.expired" : "grant.revoked",
        actor: null,
        subjectType: "grant",
        subjectId: grant.id,
      });
    }
  });
  log.info("grant change finished");
}
