import { getDb } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import { logger } from "@/lib/log";
import { getAws } from "@/lib/workflow/aws";
import { asDocument, readLivePlanInput } from "@/lib/workflow/live-documents";
import { diffPolicies, planPolicies } from "@/lib/policy";

/**
 * Rewrites the bucket policy of an ended grant's bucket without its revoked-session
 * deny, once every session issued before the revoke has expired. Run earlier, the
 * plan still contains the deny and nothing is written.
 */
export async function removeExpiredSessionDeny(grantId: string): Promise<void> {
  const db = getDb();
  const log = logger.child({ grantId, operation: "remove-session-deny" });
  const grant = await db.grant.findUnique({ where: { id: grantId }, include: { dataset: true } });
  if (!grant || !["REVOKED", "EXPIRED"].includes(grant.status)) {
    log.info({ status: grant?.status }, "grant has not ended; nothing to remove");
    return;
  }

  const aws = getAws();
  const { bucketName, kmsKeyArn } = grant.dataset;
  const { input } = await readLivePlanInput(bucketName, kmsKeyArn);
  const plan = planPolicies(input);
  if (plan.changes.bucketPolicy === "none") {
    log.info("bucket policy already as planned");
    return;
  }

  const before = asDocument(input.bucket.policy);
  const written = plan.bucketPolicy === null ? await aws.deleteBucketPolicy(bucketName) : await aws.putBucketPolicy(bucketName, JSON.stringify(plan.bucketPolicy));
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "grant.session_deny_removed",
      actor: null,
      subjectType: "grant",
      subjectId: grant.id,
      data: { bucket: bucketName, awsRequestIds: [written.requestId], before, after: plan.bucketPolicy, diff: diffPolicies(before, plan.bucketPolicy) },
    }),
  );
  log.info({ awsRequestId: written.requestId }, "revoked-session deny removed");
}
