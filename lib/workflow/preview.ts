import { getDb } from "@/lib/db";
import { logger } from "@/lib/log";
import { asDocument, readLivePlanInput } from "@/lib/workflow/live-documents";
import { toPolicyAccess } from "@/lib/workflow/plan-input";
import { diffPolicies, planPolicies, proveAccess, PolicyValidationError, type DocumentSize, type PolicyDiff, type ProofMatrix } from "@/lib/policy";

export interface RequestPreview {
  permissionSetName: string;
  bucketDiff: PolicyDiff;
  keyDiff: PolicyDiff;
  permissionSetDiff: PolicyDiff;
  sizes: { bucket: DocumentSize | null; key: DocumentSize; permissionSet: DocumentSize | null };
  warnings: string[];
  proof: ProofMatrix;
}

/**
 * Plans what approving the request would write, against the live documents: the
 * three diffs, their sizes and the access proof of the resulting documents.
 * Nothing is written. Returns an error text when the change cannot be planned.
 */
export async function previewRequest(requestId: string): Promise<RequestPreview | { error: string }> {
  const request = await getDb().accessRequest.findUniqueOrThrow({ where: { id: requestId }, include: { dataset: true } });
  const { dataset } = request;
  const permissionSetName = request.accessLevel === "READ" ? dataset.readPermissionSetName : dataset.readWritePermissionSetName;
  try {
    const { input } = await readLivePlanInput(dataset.bucketName, dataset.kmsKeyArn, [permissionSetName]);
    const target = input.datasets.find((entry) => entry.prefix === dataset.prefix);
    target?.grants.push({ consumerAccountId: dataset.consumerAccountId, permissionSetName, access: toPolicyAccess(request.accessLevel) });

    const plan = planPolicies(input);
    const permissionSetBefore = asDocument(input.livePermissionSetPolicies?.[permissionSetName]);
    return {
      permissionSetName,
      bucketDiff: diffPolicies(asDocument(input.bucket.policy), plan.bucketPolicy),
      keyDiff: diffPolicies(asDocument(input.key.policy), plan.keyPolicy),
      permissionSetDiff: diffPolicies(permissionSetBefore, plan.permissionSetPolicies[permissionSetName] ?? null),
      sizes: { bucket: plan.sizes.bucketPolicy, key: plan.sizes.keyPolicy, permissionSet: plan.sizes.permissionSetPolicies[permissionSetName] ?? null },
      warnings: plan.warnings,
      proof: await proveAccess(input, plan),
    };
  } catch (error) {
    if (error instanceof PolicyValidationError) return { error: error.message };
    logger.error({ err: error, requestId }, "approval preview failed");
    return { error: "the live policies could not be read from AWS; see the server log." };
  }
}
