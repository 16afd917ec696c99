import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
  type AccountAssignmentOperationStatus,
} from "@aws-sdk/client-sso-admin";
import { callAws, type CallOptions } from "./call";
import type { AwsContext } from "./context";
import { pollUntilSucceeded, type PollOptions } from "./poll";
import { pollSettings } from "./provisioning";

export interface AccountAssignment {
  principalType: "USER" | "GROUP";
  principalId: string;
}

export interface AssignmentTarget {
  permissionSetArn: string;
  accountId: string;
  /** Identity Store user ID (immutable, unlike the user name). */
  userId: string;
}

export interface AssignmentChange {
  /** False when there was nothing to do: the assignment already existed, or was already gone. */
  changed: boolean;
  /** AWS request ID of the create or delete call; null when none was made. */
  requestId: string | null;
  /** Statuses seen while polling, starting with the one in the create or delete response. */
  statuses: string[];
}

export async function listAccountAssignments(
  context: AwsContext,
  target: { permissionSetArn: string; accountId: string },
  options?: CallOptions,
): Promise<AccountAssignment[]> {
  const { instanceArn } = context.config.identityCenter;
  const assignments: AccountAssignment[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const { output } = await callAws(
      context,
      "sso-admin",
      "ListAccountAssignments",
      (sendOptions) =>
        context.consumer.ssoAdmin.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: target.accountId,
            PermissionSetArn: target.permissionSetArn,
            NextToken: token,
          }),
          sendOptions,
        ),
      options,
    );
    for (const assignment of output.AccountAssignments ?? []) {
      if (assignment.PrincipalId && (assignment.PrincipalType === "USER" || assignment.PrincipalType === "GROUP")) {
        assignments.push({ principalType: assignment.PrincipalType, principalId: assignment.PrincipalId });
      }
    }
    nextToken = output.NextToken;
  } while (nextToken);
  return assignments;
}

async function hasUserAssignment(context: AwsContext, target: AssignmentTarget, options: CallOptions): Promise<boolean> {
  const assignments = await listAccountAssignments(context, target, options);
  return assignments.some((entry) => entry.principalType === "USER" && entry.principalId === target.userId);
}

function toStatus(status: AccountAssignmentOperationStatus | undefined) {
  return { status: status?.Status ?? "IN_PROGRESS", failureReason: status?.FailureReason };
}

/** Returns the request fields that name one user's assignment, shared by create and delete. */
function assignmentInput(instanceArn: string, target: AssignmentTarget) {
  return {
    InstanceArn: instanceArn,
    TargetId: target.accountId,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: target.permissionSetArn,
    PrincipalType: "USER" as const,
    PrincipalId: target.userId,
  };
}

/**
 * Assigns the permission set in the account to the user and waits until
 * Identity Center reports SUCCEEDED. Does nothing when the assignment exists.
 */
export async function createAccountAssignment(
  context: AwsContext,
  target: AssignmentTarget,
  options: PollOptions = {},
): Promise<AssignmentChange> {
  const { instanceArn } = context.config.identityCenter;
  const settings = pollSettings(context, options);
  const callOptions = settings.signal ? { signal: settings.signal } : {};
  if (await hasUserAssignment(context, target, callOptions)) return { changed: false, requestId: null, statuses: [] };

  const input = assignmentInput(instanceArn, target);
  const { output, requestId } = await callAws(
    context,
    "sso-admin",
    "CreateAccountAssignment",
    (sendOptions) => context.consumer.ssoAdmin.send(new CreateAccountAssignmentCommand(input), sendOptions),
    callOptions,
  );
  const first = output.AccountAssignmentCreationStatus;
  const assignmentRequestId = first?.RequestId ?? "";

  const statuses = await pollUntilSucceeded(
    { service: "sso-admin", operation: "CreateAccountAssignment", requestId: assignmentRequestId },
    toStatus(first),
    async (signal) => {
      const { output: status } = await callAws(
        context,
        "sso-admin",
        "DescribeAccountAssignmentCreationStatus",
        (sendOptions) =>
          context.consumer.ssoAdmin.send(
            new DescribeAccountAssignmentCreationStatusCommand({
              InstanceArn: instanceArn,
              AccountAssignmentCreationRequestId: assignmentRequestId,
            }),
            sendOptions,
          ),
        signal ? { signal } : {},
      );
      return toStatus(status.AccountAssignmentCreationStatus);
    },
    settings,
  );
  return { changed: true, requestId, statuses };
}

/**
 * Removes the user's assignment of the permission set in the account and
 * waits until Identity Center reports SUCCEEDED. Does nothing when there is
 * no such assignment.
 */
export async function deleteAccountAssignment(
  context: AwsContext,
  target: AssignmentTarget,
  options: PollOptions = {},
): Promise<AssignmentChange> {
  const { instanceArn } = context.config.identityCenter;
  const settings = pollSettings(context, options);
  const callOptions = settings.signal ? { signal: settings.signal } : {};
  if (!(await hasUserAssignment(context, target, callOptions))) return { changed: false, requestId: null, statuses: [] };

  const input = assignmentInput(instanceArn, target);
  const { output, requestId } = await callAws(
    context,
    "sso-admin",
    "DeleteAccountAssignment",
    (sendOptions) => context.consumer.ssoAdmin.send(new DeleteAccountAssignmentCommand(input), sendOptions),
    callOptions,
  );
  const first = output.AccountAssignmentDeletionStatus;
  const assignmentRequestId = first?.RequestId ?? "";

  const statuses = await pollUntilSucceeded(
    { service: "sso-admin", operation: "DeleteAccountAssignment", requestId: assignmentRequestId },
    toStatus(first),
    async (signal) => {
      const { output: status } = await callAws(
        context,
        "sso-admin",
        "DescribeAccountAssignmentDeletionStatus",
        (sendOptions) =>
          context.consumer.ssoAdmin.send(
            new DescribeAccountAssignmentDeletionStatusCommand({
              InstanceArn: instanceArn,
              AccountAssignmentDeletionRequestId: assignmentRequestId,
            }),
            sendOptions,
          ),
        signal ? { signal } : {},
      );
      return toStatus(status.AccountAssignmentDeletionStatus);
    },
    settings,
  );
  return { changed: true, requestId, statuses };
}
