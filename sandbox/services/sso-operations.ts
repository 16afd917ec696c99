import { createHash, randomUUID } from "node:crypto";
import type { CallContext } from "../context";
import { epochSeconds } from "../context";
import { roleFromArn } from "../seed";
import type {
  IdentityCenterRecord,
  OperationRecord,
  PermissionSetRecord,
  SandboxState,
} from "../state";

/** Name of the role inline policy that Identity Center copies from the permission set. */
const ROLE_INLINE_POLICY_NAME = "AwsSSOInlinePolicy";

/** Parses an ISO 8601 duration of hours, minutes and seconds (PT1H, PT90M) into seconds. */
export function durationSeconds(duration: string): number | null {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!match || duration === "PT") return null;
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/**
 * Identity Center puts a Region segment in the role path unless its home
 * Region is us-east-1; the 16 hex characters are stable per permission set
 * and account, like the real suffix.
 */
export function reservedRole(center: IdentityCenterRecord, permissionSet: PermissionSetRecord, accountId: string) {
  const regionSegment = center.region === "us-east-1" ? "" : `${center.region}/`;
  const path = `/aws-reserved/sso.amazonaws.com/${regionSegment}`;
  const suffix = createHash("sha256").update(`${permissionSet.arn}|${accountId}`).digest("hex").slice(0, 16);
  const name = `AWSReservedSSO_${permissionSet.name}_${suffix}`;
  return { path, name, arn: `arn:aws:iam::${accountId}:role${path}${name}` };
}

function samlTrustPolicy(accountId: string, instanceArn: string): string {
  const instanceHex = instanceArn.split("ssoins-")[1] ?? "0";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${accountId}:saml-provider/AWSSSO_${instanceHex}_DO_NOT_DELETE` },
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
      },
    ],
  });
}

/** Creates or updates the reserved role of a permission set in one account. */
function provisionToAccount(state: SandboxState, permissionSet: PermissionSetRecord, accountId: string, now: Date): void {
  const center = state.identityCenter;
  const reserved = reservedRole(center, permissionSet, accountId);
  const existing = state.roles[reserved.arn];
  const role =
    existing ?? roleFromArn(reserved.arn, samlTrustPolicy(accountId, center.instanceArn), now.toISOString());
  role.maxSessionDuration = durationSeconds(permissionSet.sessionDuration) ?? 3600;
  role.description = permissionSet.description;
  role.inlinePolicies = permissionSet.inlinePolicy ? { [ROLE_INLINE_POLICY_NAME]: permissionSet.inlinePolicy } : {};
  state.roles[reserved.arn] = role;

  const record = center.provisioned.find(
    (entry) => entry.permissionSetArn === permissionSet.arn && entry.accountId === accountId,
  );
  if (record) record.version = permissionSet.version;
  else {
    center.provisioned.push({
      permissionSetArn: permissionSet.arn,
      accountId,
      roleArn: reserved.arn,
      version: permissionSet.version,
    });
  }
}

function applyOperation(state: SandboxState, operation: OperationRecord, now: Date): void {
  const center = state.identityCenter;
  const permissionSet = center.permissionSets[operation.permissionSetArn];
  if (!permissionSet) {
    operation.status = "FAILED";
    operation.failureReason = `Permission set ${operation.permissionSetArn} was deleted`;
    return;
  }
  const sameAssignment = (entry: (typeof center.assignments)[number]) =>
    entry.accountId === operation.targetId &&
    entry.permissionSetArn === operation.permissionSetArn &&
    entry.principalType === operation.principalType &&
    entry.principalId === operation.principalId;

  if (operation.kind === "provision") {
    provisionToAccount(state, permissionSet, operation.targetId, now);
  } else if (operation.kind === "assignment-create") {
    // As in Identity Center, the first assignment provisions the permission set to the account.
    const provisioned = center.provisioned.some(
      (entry) => entry.permissionSetArn === permissionSet.arn && entry.accountId === operation.targetId,
    );
    if (!provisioned) provisionToAccount(state, permissionSet, operation.targetId, now);
    if (!center.assignments.some(sameAssignment)) {
      center.assignments.push({
        accountId: operation.targetId,
        permissionSetArn: operation.permissionSetArn,
        principalType: operation.principalType ?? "USER",
        principalId: operation.principalId ?? "",
      });
    }
  } else {
    center.assignments = center.assignments.filter((entry) => !sameAssignment(entry));
  }
  operation.status = "SUCCEEDED";
}

/**
 * Completes every asynchronous request whose delay has passed. The router
 * calls this before each AWS call, so results appear to callers the way
 * Identity Center's background work does. Returns whether anything changed.
 */
export function settleOperations(state: SandboxState, now: Date): boolean {
  const due = Object.values(state.identityCenter.operations)
    .filter((operation) => operation.status === "IN_PROGRESS" && operation.settlesAt <= now.getTime())
    .sort((a, b) => a.settlesAt - b.settlesAt);
  for (const operation of due) {
    if (operation.failureReason) operation.status = "FAILED";
    else applyOperation(state, operation, now);
  }
  return due.length > 0;
}

export function startOperation(
  context: CallContext,
  fields: Pick<OperationRecord, "kind" | "permissionSetArn" | "targetId" | "principalType" | "principalId">,
  failureReason: string | undefined,
): OperationRecord {
  const operation: OperationRecord = {
    ...fields,
    requestId: randomUUID(),
    createdDate: context.now.toISOString(),
    settlesAt: context.now.getTime() + context.settings.asyncDelayMs,
    status: "IN_PROGRESS",
    ...(failureReason ? { failureReason } : {}),
  };
  context.store.update((state) => {
    state.identityCenter.operations[operation.requestId] = operation;
  });
  return operation;
}

/** Shape of PermissionSetProvisioningStatus. A failure reason shows only once the request has failed. */
export function provisioningStatus(operation: OperationRecord): Record<string, unknown> {
  return {
    Status: operation.status,
    RequestId: operation.requestId,
    AccountId: operation.targetId,
    PermissionSetArn: operation.permissionSetArn,
    CreatedDate: epochSeconds(operation.createdDate),
    ...(operation.status === "FAILED" ? { FailureReason: operation.failureReason } : {}),
  };
}

/** Shape of AccountAssignmentOperationStatus, used by both creation and deletion. */
export function assignmentStatus(operation: OperationRecord): Record<string, unknown> {
  return {
    Status: operation.status,
    RequestId: operation.requestId,
    TargetId: operation.targetId,
    TargetType: "AWS_ACCOUNT",
    PermissionSetArn: operation.permissionSetArn,
    PrincipalType: operation.principalType,
    PrincipalId: operation.principalId,
    CreatedDate: epochSeconds(operation.createdDate),
    ...(operation.status === "FAILED" ? { FailureReason: operation.failureReason } : {}),
  };
}
