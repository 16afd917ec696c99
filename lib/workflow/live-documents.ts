import { getDb } from "@/lib/db";
import { getAws } from "@/lib/workflow/aws";
import { loadPlanInput } from "@/lib/workflow/plan-input";
import type { PlanInput, PolicyDocument } from "@/lib/policy";

/** Parses a live policy; text that is not JSON is passed on as text, so the policy engine reports it instead of overwriting it. */
export function parseLivePolicyText(policy: string | null): PolicyDocument | string | null {
  if (policy === null) return null;
  try {
    return JSON.parse(policy) as PolicyDocument;
  } catch {
    return policy;
  }
}

/** Returns the live value as a document, or null when it is absent or not valid JSON. */
export function asDocument(value: PolicyDocument | string | null | undefined): PolicyDocument | null {
  return value && typeof value !== "string" ? value : null;
}

export interface LivePlanInput {
  input: PlanInput;
  /** Live permission sets by name; null when the set does not exist yet. */
  permissionSets: Record<string, { arn: string; inlinePolicy: string | null } | null>;
  requestIds: string[];
}

/**
 * Reads a bucket's live bucket policy and key policy, and the inline policy of each
 * permission set that a present grant of the bucket uses (plus `permissionSetNames`),
 * and builds the policy engine's input from them and the database.
 */
export async function readLivePlanInput(bucketName: string, kmsKeyArn: string, permissionSetNames: string[] = []): Promise<LivePlanInput> {
  const aws = getAws();
  const bucket = await aws.getBucketPolicy(bucketName);
  const key = await aws.getKeyPolicy(kmsKeyArn);
  const input = await loadPlanInput(getDb(), bucketName, {
    bucketPolicy: parseLivePolicyText(bucket.policy),
    keyPolicy: parseLivePolicyText(key.policy) ?? "",
  });

  // The proof of every present grant needs its role's live identity policy.
  const names = new Set([...permissionSetNames, ...input.datasets.flatMap((entry) => entry.grants.map((grant) => grant.permissionSetName))]);
  const requestIds = [bucket.requestId, key.requestId].filter((id): id is string => Boolean(id));
  const permissionSets: LivePlanInput["permissionSets"] = {};
  const livePolicies: Record<string, PolicyDocument | string | null> = {};
  for (const name of names) {
    const found = await aws.findPermissionSet(name);
    permissionSets[name] = found;
    livePolicies[name] = parseLivePolicyText(found?.inlinePolicy ?? null);
    requestIds.push(...(found?.requestIds ?? []));
  }
  input.livePermissionSetPolicies = livePolicies;
  return { input, permissionSets, requestIds };
}
