import { getDb } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import { logger } from "@/lib/log";
import { getAws } from "@/lib/workflow/aws";
import { loadPlanInput } from "@/lib/workflow/plan-input";
import { diffPolicies, planPolicies, type PolicyDocument } from "@/lib/policy";

function parse(policy: string | null): PolicyDocument | string | null {
  if (policy === null) return null;
  try {
    return JSON.parse(policy) as PolicyDocument;
  } catch {
    return policy;
  }
}

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
  const bucket = await aws.getBucketPolicy(bucketName);
  const key = await aws.getKeyPolicy(kmsKeyArn);
  const input = await loadPlanInput(db, bucketName, { bucketPolicy: parse(bucket.policy), keyPolicy: parse(key.policy) ?? "" });
  const plan = planPolicies(input);
  if (plan.changes.bucketPolicy === "none") {
    log.info("bucket policy already as planned");
    return;
  }

  const before = typeof input.bucket.policy === "string" ? null : input.bucket.policy;
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
