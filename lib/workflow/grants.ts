import type { z } from "zod";
import type PgBoss from "pg-boss";
import { getDb, type Tx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { enqueueGrantChange, getBoss } from "@/lib/jobs/queue";
import { createProvisioningSteps } from "@/lib/workflow/steps";
import type { retryGrantSchema, revokeGrantSchema } from "@/lib/workflow/schemas";

/**
 * Locks a grant row until the transaction ends and returns it with its dataset. A
 * grant of another owner account is reported as not found, so ids cannot be probed.
 */
async function lockOwnedGrant(tx: Tx, actor: Actor, grantId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Grant" WHERE id = ${grantId}::uuid FOR UPDATE`;
  const grant = locked.length ? await tx.grant.findUnique({ where: { id: grantId }, include: { dataset: true } }) : null;
  if (!grant || grant.dataset.ownerAccountId !== actor.accountId) throw new AppError("NOT_FOUND", "Grant not found.");
  return grant;
}

/** Creates a grant's removal steps and queues the job that runs them, in the caller's transaction. */
async function queueRemoval(boss: PgBoss, tx: Tx, grantId: string, bucketName: string): Promise<void> {
  await createProvisioningSteps(tx, grantId, "DEPROVISION");
  await enqueueGrantChange(boss, tx, { grantId, operation: "deprovision" }, bucketName);
}

/**
 * Starts the revoke of a grant of a dataset the data owner's account owns: an active
 * grant, or one whose provisioning failed part-way and may hold part of the access.
 */
export async function revokeGrant(actor: Actor, input: z.infer<typeof revokeGrantSchema>) {
  if (!actor.roles.includes("DATA_OWNER")) throw new AppError("FORBIDDEN", "Only data owners can revoke grants.");
  const boss = await getBoss();
  return getDb().$transaction(async (tx) => {
    const grant = await lockOwnedGrant(tx, actor, input.grantId);
    const failedProvisioning = grant.status === "FAILED" && grant.endReason === null;
    if (grant.status !== "ACTIVE" && !failedProvisioning) {
      const hint = grant.status === "FAILED" ? " Its removal failed; retry it instead." : "";
      throw new AppError("CONFLICT", `The grant is ${grant.status.toLowerCase()}; only an active grant or a failed provisioning can be revoked.${hint}`);
    }
    await tx.grant.update({ where: { id: grant.id }, data: { status: "REVOKING", endReason: "revoked", endComment: input.comment } });
    await queueRemoval(boss, tx, grant.id, grant.dataset.bucketName);
    await recordAudit(tx, {
      action: "grant.revoke_requested",
      actor: { id: actor.id, email: actor.email },
      subjectType: "grant",
      subjectId: grant.id,
      data: { comment: input.comment },
    });
  });
}

/**
 * Queues the failed change of a grant again, resuming at its failed step: the
 * provisioning, or the removal when the grant was being revoked or expired.
 */
export async function retryGrant(actor: Actor, input: z.infer<typeof retryGrantSchema>) {
  if (!actor.roles.includes("DATA_OWNER")) throw new AppError("FORBIDDEN", "Only data owners can retry grants.");
  const boss = await getBoss();
  return getDb().$transaction(async (tx) => {
    const grant = await lockOwnedGrant(tx, actor, input.grantId);
    if (grant.status !== "FAILED") throw new AppError("CONFLICT", `The grant is ${grant.status.toLowerCase()}; only a failed grant can be retried.`);
    const removal = grant.endReason !== null;
    await tx.grant.update({ where: { id: grant.id }, data: { status: removal ? "REVOKING" : "PENDING" } });
    await recordAudit(tx, {
      action: "grant.retry_requested",
      actor: { id: actor.id, email: actor.email },
      subjectType: "grant",
      subjectId: grant.id,
      data: { operation: removal ? "deprovision" : "provision", lastError: grant.lastError },
    });
    await enqueueGrantChange(boss, tx, { grantId: grant.id, operation: removal ? "deprovision" : "provision" }, grant.dataset.bucketName);
  });
}

/** Moves every active grant past its end time to revoking and queues its deprovisioning. */
export async function expireDueGrants(now = new Date()): Promise<number> {
  const db = getDb();
  const boss = await getBoss();
  const due = await db.grant.findMany({ where: { status: "ACTIVE", endsAt: { lte: now } }, select: { id: true } });
  let expired = 0;
  for (const { id } of due) {
    const changed = await db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Grant" WHERE id = ${id}::uuid AND status = 'ACTIVE' FOR UPDATE`;
      if (locked.length === 0) return false;
      const grant = await tx.grant.update({ where: { id }, data: { status: "REVOKING", endReason: "expired" }, include: { dataset: true } });
      await queueRemoval(boss, tx, id, grant.dataset.bucketName);
      await recordAudit(tx, { action: "grant.expiry_started", actor: null, subjectType: "grant", subjectId: id, data: { endsAt: grant.endsAt } });
      return true;
    });
    if (changed) expired += 1;
  }
  return expired;
}
