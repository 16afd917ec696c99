import { getAwsContext } from "@/lib/aws/default-context";
import { createAccountAssignment, deleteAccountAssignment, listAccountAssignments, type AssignmentTarget } from "@/lib/aws/assignments";
import { describeKey, getKeyPolicy, putKeyPolicy } from "@/lib/aws/kms";
import { ensurePermissionSet, findPermissionSetByName, getInlinePolicy, type PermissionSetSpec } from "@/lib/aws/permission-sets";
import { provisionPermissionSet } from "@/lib/aws/provisioning";
import { deleteBucketPolicy, getBucketEncryption, getBucketPolicy, getBucketPolicyStatus, putBucketPolicy } from "@/lib/aws/s3";
import { findUserId } from "@/lib/aws/identity-store";

/**
 * Returns the AWS calls of the workflow, bound to the process-wide AWS context built
 * from the environment. It lists everything the provisioning job does in AWS.
 */
export function getAws() {
  const context = getAwsContext();
  return {
    getBucketPolicy: (bucket: string) => getBucketPolicy(context, bucket),
    putBucketPolicy: (bucket: string, policy: string) => putBucketPolicy(context, bucket, policy),
    deleteBucketPolicy: (bucket: string) => deleteBucketPolicy(context, bucket),
    getBucketPolicyStatus: (bucket: string) => getBucketPolicyStatus(context, bucket),
    getBucketEncryption: (bucket: string) => getBucketEncryption(context, bucket),
    describeKey: (keyArn: string) => describeKey(context, keyArn),
    getKeyPolicy: (keyArn: string) => getKeyPolicy(context, keyArn),
    putKeyPolicy: (keyArn: string, policy: string) => putKeyPolicy(context, keyArn, policy),
    ensurePermissionSet: (spec: PermissionSetSpec) => ensurePermissionSet(context, spec),
    provisionPermissionSet: (permissionSetArn: string, accountId: string) => provisionPermissionSet(context, permissionSetArn, accountId),
    findUserId: (userName: string) => findUserId(context, userName),
    createAccountAssignment: (target: AssignmentTarget) => createAccountAssignment(context, target),
    deleteAccountAssignment: (target: AssignmentTarget) => deleteAccountAssignment(context, target),
    listAccountAssignments: (target: { permissionSetArn: string; accountId: string }) => listAccountAssignments(context, target),
    /** Returns the permission set's ARN and live inline policy (JSON text), or null when it does not exist. */
    async findPermissionSet(name: string): Promise<{ arn: string; inlinePolicy: string | null; requestIds: string[] } | null> {
      const found = await findPermissionSetByName(context, name);
      if (!found) return null;
      const inline = await getInlinePolicy(context, found.permissionSetArn);
      return { arn: found.permissionSetArn, inlinePolicy: inline.policy, requestIds: [found.requestId, inline.requestId] };
    },
  };
}

export type WorkflowAws = ReturnType<typeof getAws>;
