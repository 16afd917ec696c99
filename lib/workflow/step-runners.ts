import type { Logger } from "pino";
import { getDb } from "@/lib/db";
import { getAws } from "@/lib/workflow/aws";
import { asDocument, parseLivePolicyText, readLivePlanInput } from "@/lib/workflow/live-documents";
import { describeRow, diffPolicies, liveDocuments, planPolicies, proveAccess, type PlanInput, type PlanResult } from "@/lib/policy";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { StepKind, StepOperation } from "@/lib/generated/prisma/enums";

export interface StepContext {
  grant: Prisma.GrantGetPayload<{
    include: { dataset: { include: { ownerAccount: true; consumerAccount: true } }; person: true; request: true };
  }>;
  operation: StepOperation;
  log: Logger;
}

export interface StepResult {
  requestIds: string[];
  detail: Record<string, unknown>;
  grantUpdate?: Prisma.GrantUpdateInput;
}

function ids(...values: (string | null | undefined)[]): string[] {
  return values.filter((value): value is string => typeof value === "string" && value !== "");
}

interface LivePlan {
  input: PlanInput;
  plan: PlanResult;
  permissionSet: { arn: string; inlinePolicy: string | null } | null;
  requestIds: string[];
}

/** Reads the live documents of the grant's bucket and plans what its present grants need. */
async function planFromLive(context: StepContext): Promise<LivePlan> {
  const { dataset, permissionSetName } = context.grant;
  const live = await readLivePlanInput(dataset.bucketName, dataset.kmsKeyArn, [permissionSetName]);
  return { input: live.input, plan: planPolicies(live.input), permissionSet: live.permissionSets[permissionSetName] ?? null, requestIds: live.requestIds };
}

async function runPermissionSet(context: StepContext): Promise<StepResult> {
  const aws = getAws();
  const { grant } = context;
  const { plan, permissionSet, requestIds } = await planFromLive(context);
  const before = asDocument(parseLivePolicyText(permissionSet?.inlinePolicy ?? null));
  const policy = plan.permissionSetPolicies[grant.permissionSetName];
  if (!policy) {
    // No present grant uses this permission set any more, so it has no assignment
    // left. Its inline policy stays until a grant needs the set again.
    return { requestIds, detail: { permissionSetName: grant.permissionSetName, before, after: before, note: "no present grant uses this permission set" } };
  }
  const ensured = await aws.ensurePermissionSet({
    name: grant.permissionSetName,
    description: `Access Portal managed: ${grant.dataset.bucketName}`,
    sessionDuration: `PT${grant.dataset.sessionDurationHours}H`,
    inlinePolicy: JSON.stringify(policy),
  });
  // Provisioning pushes the inline policy to the account's role; on the first grant it creates the role.
  const provisioned = await aws.provisionPermissionSet(ensured.permissionSetArn, grant.dataset.consumerAccountId);
  return {
    requestIds: [...requestIds, ...ensured.requestIds, ...ids(provisioned.requestId)],
    detail: {
      permissionSetName: grant.permissionSetName,
      permissionSetArn: ensured.permissionSetArn,
      created: ensured.created,
      before,
      after: policy,
      diff: diffPolicies(before, policy),
      size: plan.sizes.permissionSetPolicies[grant.permissionSetName] ?? null,
    },
    grantUpdate: { permissionSetArn: ensured.permissionSetArn },
  };
}

async function runAccountAssignment(context: StepContext): Promise<StepResult> {
  const aws = getAws();
  const { grant } = context;
  const userName = grant.person.ssoUserName;
  if (!userName) throw new Error(`${grant.person.email} has no Identity Center user name.`);
  const userId = grant.identityStoreUserId ?? (await aws.findUserId(userName));
  const permissionSetArn = grant.permissionSetArn ?? (await aws.findPermissionSet(grant.permissionSetName))?.arn;
  if (!permissionSetArn) throw new Error(`Permission set ${grant.permissionSetName} does not exist.`);
  const target = { permissionSetArn, accountId: grant.dataset.consumerAccountId, userId };

  if (context.operation === "PROVISION") {
    const created = await aws.createAccountAssignment(target);
    return {
      requestIds: ids(created.requestId),
      detail: { action: created.changed ? "created" : "already present", userName, statuses: created.statuses, ...target },
      grantUpdate: { identityStoreUserId: userId, permissionSetArn },
    };
  }

  // Another live grant of the same person may use the same permission set; its
  // assignment must stay.
  const others = await getDb().grant.count({
    where: {
      id: { not: grant.id },
      personId: grant.personId,
      permissionSetName: grant.permissionSetName,
      status: { in: ["PROVISIONING", "ACTIVE"] },
      dataset: { consumerAccountId: grant.dataset.consumerAccountId },
    },
  });
  // The moment the assignment is gone is the cut-off of the revoked-session deny.
  const grantUpdate = { endedAt: new Date(), identityStoreUserId: userId };
  if (others > 0) {
    return { requestIds: [], detail: { action: "kept", reason: "another live grant of this person uses the permission set", ...target }, grantUpdate };
  }
  const deleted = await aws.deleteAccountAssignment(target);
  return {
    requestIds: ids(deleted.requestId),
    detail: { action: deleted.changed ? "deleted" : "already absent", userName, statuses: deleted.statuses, ...target },
    grantUpdate,
  };
}

async function runBucketPolicy(context: StepContext): Promise<StepResult> {
  const aws = getAws();
  const bucketName = context.grant.dataset.bucketName;
  const { input, plan, requestIds } = await planFromLive(context);
  const before = asDocument(input.bucket.policy);
  let written: { requestId: string } | null = null;
  // NOTE: S3 has no conditional PutBucketPolicy, so a hand edit made between the read
  // above and this write is lost, and the later verification cannot see it.
  if (plan.changes.bucketPolicy === "delete") written = await aws.deleteBucketPolicy(bucketName);
  else if (plan.bucketPolicy && plan.changes.bucketPolicy !== "none") written = await aws.putBucketPolicy(bucketName, JSON.stringify(plan.bucketPolicy));
  return {
    requestIds: [...requestIds, ...ids(written?.requestId)],
    detail: {
      bucket: bucketName,
      change: plan.changes.bucketPolicy,
      before,
      after: plan.bucketPolicy,
      diff: diffPolicies(before, plan.bucketPolicy),
      size: plan.sizes.bucketPolicy,
      warnings: plan.warnings,
    },
  };
}

async function runKeyPolicy(context: StepContext): Promise<StepResult> {
  const aws = getAws();
  const keyArn = context.grant.dataset.kmsKeyArn;
  const { input, plan, requestIds } = await planFromLive(context);
  const before = asDocument(input.key.policy);
  const written = plan.changes.keyPolicy === "none" ? null : await aws.putKeyPolicy(keyArn, JSON.stringify(plan.keyPolicy));
  return {
    requestIds: [...requestIds, ...ids(written?.requestId)],
    detail: { keyArn, change: plan.changes.keyPolicy, before, after: plan.keyPolicy, diff: diffPolicies(before, plan.keyPolicy), size: plan.sizes.keyPolicy },
  };
}

/**
 * Reads the documents back and checks that they equal the plan, that the bucket
 * policy is not public and that the assignment exists. Then proves the access
 * matrix on the documents as read back.
 */
async function runVerify(context: StepContext): Promise<StepResult> {
  const aws = getAws();
  const { grant } = context;
  const { input, plan, requestIds } = await planFromLive(context);
  const live = liveDocuments(input);
  const problems: string[] = [];
  if (plan.changes.bucketPolicy !== "none") problems.push("the live bucket policy differs from the plan");
  if (plan.changes.keyPolicy !== "none") problems.push("the live key policy differs from the plan");
  const inlineChange = plan.changes.permissionSetPolicies[grant.permissionSetName];
  if (context.operation === "PROVISION" && inlineChange !== "none") problems.push("the permission set's inline policy differs from the plan");

  const status = await aws.getBucketPolicyStatus(grant.dataset.bucketName);
  if (status.isPublic) problems.push("the bucket policy is public, so Block Public Access would ignore cross-account grants");

  let assigned = false;
  if (grant.identityStoreUserId && grant.permissionSetArn) {
    const assignments = await aws.listAccountAssignments({ permissionSetArn: grant.permissionSetArn, accountId: grant.dataset.consumerAccountId });
    assigned = assignments.some((assignment) => assignment.principalType === "USER" && assignment.principalId === grant.identityStoreUserId);
  }
  if (context.operation === "PROVISION" && !assigned) problems.push("the account assignment is missing");

  const proof = await proveAccess(input, live);
  const failed = proof.rows.filter((row) => !row.ok);
  if (failed.length > 0) problems.push(`the access proof failed: ${failed.map(describeRow).join("; ")}`);
  if (problems.length > 0) throw new Error(`Verification failed: ${problems.join("; ")}.`);

  return {
    requestIds: [...requestIds, ...ids(status.requestId)],
    detail: { assigned, publicPolicy: status.isPublic, proofRows: proof.rows.length, simulator: proof.simulator },
    grantUpdate: context.operation === "PROVISION" ? { proof: proof as unknown as Prisma.InputJsonValue } : {},
  };
}

const RUNNERS: Record<StepKind, (context: StepContext) => Promise<StepResult>> = {
  PERMISSION_SET: runPermissionSet,
  ACCOUNT_ASSIGNMENT: runAccountAssignment,
  BUCKET_POLICY: runBucketPolicy,
  KEY_POLICY: runKeyPolicy,
  VERIFY: runVerify,
};

export function runStep(kind: StepKind, context: StepContext): Promise<StepResult> {
  return RUNNERS[kind](context);
}
