import type { Tx } from "@/lib/db";
import type { StepKind, StepOperation } from "@/lib/generated/prisma/enums";

/**
 * Step order. Resource policies are written only after the permission set is
 * provisioned, because AWS rejects a policy naming a principal that does not exist
 * yet. On the way out the assignment goes first, so no new session starts while the
 * statements are removed.
 */
export const STEP_ORDER: Record<StepOperation, StepKind[]> = {
  PROVISION: ["PERMISSION_SET", "ACCOUNT_ASSIGNMENT", "BUCKET_POLICY", "KEY_POLICY", "VERIFY"],
  DEPROVISION: ["ACCOUNT_ASSIGNMENT", "BUCKET_POLICY", "KEY_POLICY", "PERMISSION_SET", "VERIFY"],
};

export const STEP_LABELS: Record<StepKind, string> = {
  PERMISSION_SET: "Permission set",
  ACCOUNT_ASSIGNMENT: "Account assignment",
  BUCKET_POLICY: "Bucket policy",
  KEY_POLICY: "Key policy",
  VERIFY: "Verify",
};

export async function createProvisioningSteps(tx: Tx, grantId: string, operation: StepOperation): Promise<void> {
  await tx.provisioningStep.createMany({
    data: STEP_ORDER[operation].map((kind, position) => ({ grantId, operation, kind, position, awsRequestIds: [] })),
    skipDuplicates: true,
  });
}
