import { z } from "zod";
import { parseInput, type CallContext, type JsonHandler } from "../context";
import { paginate } from "../paginate";
import { ServiceError } from "../protocol";
import type { OperationKind, OperationRecord } from "../state";
import { accountIdSchema, findPermissionSet, instanceArnSchema, permissionSetArnSchema } from "./sso-access";
import { assignmentStatus, provisioningStatus, startOperation } from "./sso-operations";

const pageSchema = {
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
};

function accountProblem(context: CallContext, accountId: string): string | undefined {
  return context.store.state.accounts[accountId]
    ? undefined
    : `Account ${accountId} is not a member of the organization of this Identity Center instance`;
}

function provisionPermissionSet(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({
      InstanceArn: instanceArnSchema,
      PermissionSetArn: permissionSetArnSchema,
      TargetType: z.enum(["AWS_ACCOUNT", "ALL_PROVISIONED_ACCOUNTS"]),
      TargetId: z.string().optional(),
    }),
    input,
  );
  const center = context.store.state.identityCenter;
  const permissionSet = findPermissionSet(center, request.PermissionSetArn);

  if (request.TargetType === "AWS_ACCOUNT") {
    const accountId = parseInput(accountIdSchema, request.TargetId);
    const operation = startOperation(
      context,
      { kind: "provision", permissionSetArn: permissionSet.arn, targetId: accountId },
      accountProblem(context, accountId),
    );
    return { PermissionSetProvisioningStatus: provisioningStatus(operation) };
  }

  // Provisioning to all accounts starts one request per account, and the response reports the first.
  const accounts = center.provisioned
    .filter((entry) => entry.permissionSetArn === permissionSet.arn)
    .map((entry) => entry.accountId);
  if (accounts.length === 0) {
    throw new ServiceError("ValidationException", `PermissionSet ${permissionSet.arn} is not provisioned to any account`);
  }
  const operations = accounts.map((accountId) =>
    startOperation(context, { kind: "provision", permissionSetArn: permissionSet.arn, targetId: accountId }, undefined),
  );
  return { PermissionSetProvisioningStatus: provisioningStatus(operations[0] as OperationRecord) };
}

function findOperation(context: CallContext, requestId: string, kind: OperationKind): OperationRecord {
  const operation = context.store.state.identityCenter.operations[requestId];
  if (!operation || operation.kind !== kind) {
    throw new ServiceError("ResourceNotFoundException", `Request ${requestId} does not exist`);
  }
  return operation;
}

function describeProvisioningStatus(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({ InstanceArn: instanceArnSchema, ProvisionPermissionSetRequestId: z.string().min(1) }),
    input,
  );
  const operation = findOperation(context, request.ProvisionPermissionSetRequestId, "provision");
  return { PermissionSetProvisioningStatus: provisioningStatus(operation) };
}

const assignmentInput = z.object({
  InstanceArn: instanceArnSchema,
  TargetId: accountIdSchema,
  TargetType: z.literal("AWS_ACCOUNT"),
  PermissionSetArn: permissionSetArnSchema,
  PrincipalType: z.enum(["USER", "GROUP"]),
  PrincipalId: z.string().min(1).max(47),
});

function principalProblem(context: CallContext, type: "USER" | "GROUP", id: string): string | undefined {
  const center = context.store.state.identityCenter;
  const exists = type === "USER" ? center.users[id] !== undefined : center.groups[id] !== undefined;
  return exists ? undefined : `Principal ${id} of type ${type} does not exist in identity store ${center.identityStoreId}`;
}

function startAssignment(
  input: Record<string, unknown>,
  context: CallContext,
  kind: "assignment-create" | "assignment-delete",
): OperationRecord {
  const request = parseInput(assignmentInput, input);
  findPermissionSet(context.store.state.identityCenter, request.PermissionSetArn);
  const problem =
    kind === "assignment-create"
      ? (accountProblem(context, request.TargetId) ??
        principalProblem(context, request.PrincipalType, request.PrincipalId))
      : undefined;
  return startOperation(
    context,
    {
      kind,
      permissionSetArn: request.PermissionSetArn,
      targetId: request.TargetId,
      principalType: request.PrincipalType,
      principalId: request.PrincipalId,
    },
    problem,
  );
}

function createAccountAssignment(input: Record<string, unknown>, context: CallContext): unknown {
  return { AccountAssignmentCreationStatus: assignmentStatus(startAssignment(input, context, "assignment-create")) };
}

function deleteAccountAssignment(input: Record<string, unknown>, context: CallContext): unknown {
  return { AccountAssignmentDeletionStatus: assignmentStatus(startAssignment(input, context, "assignment-delete")) };
}

function describeCreationStatus(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({ InstanceArn: instanceArnSchema, AccountAssignmentCreationRequestId: z.string().min(1) }),
    input,
  );
  const operation = findOperation(context, request.AccountAssignmentCreationRequestId, "assignment-create");
  return { AccountAssignmentCreationStatus: assignmentStatus(operation) };
}

function describeDeletionStatus(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({ InstanceArn: instanceArnSchema, AccountAssignmentDeletionRequestId: z.string().min(1) }),
    input,
  );
  const operation = findOperation(context, request.AccountAssignmentDeletionRequestId, "assignment-delete");
  return { AccountAssignmentDeletionStatus: assignmentStatus(operation) };
}

function listAccountAssignments(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({
      InstanceArn: instanceArnSchema,
      AccountId: accountIdSchema,
      PermissionSetArn: permissionSetArnSchema,
      ...pageSchema,
    }),
    input,
  );
  const center = context.store.state.identityCenter;
  findPermissionSet(center, request.PermissionSetArn);
  const assignments = center.assignments
    .filter((entry) => entry.accountId === request.AccountId && entry.permissionSetArn === request.PermissionSetArn)
    .map((entry) => ({
      AccountId: entry.accountId,
      PermissionSetArn: entry.permissionSetArn,
      PrincipalType: entry.principalType,
      PrincipalId: entry.principalId,
    }));
  const { page, nextToken } = paginate(assignments, request.MaxResults, request.NextToken);
  return { AccountAssignments: page, NextToken: nextToken };
}

function listPermissionSetsProvisionedToAccount(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({
      InstanceArn: instanceArnSchema,
      AccountId: accountIdSchema,
      ProvisioningStatus: z.enum(["LATEST_PERMISSION_SET_PROVISIONED", "LATEST_PERMISSION_SET_NOT_PROVISIONED"]).optional(),
      ...pageSchema,
    }),
    input,
  );
  const center = context.store.state.identityCenter;
  const arns = center.provisioned
    .filter((entry) => entry.accountId === request.AccountId)
    .filter((entry) => {
      if (!request.ProvisioningStatus) return true;
      const latest = center.permissionSets[entry.permissionSetArn]?.version === entry.version;
      return request.ProvisioningStatus === "LATEST_PERMISSION_SET_PROVISIONED" ? latest : !latest;
    })
    .map((entry) => entry.permissionSetArn);
  const { page, nextToken } = paginate(arns, request.MaxResults, request.NextToken);
  return { PermissionSets: page, NextToken: nextToken };
}

export const assignmentOperations: Record<string, JsonHandler> = {
  ProvisionPermissionSet: provisionPermissionSet,
  DescribePermissionSetProvisioningStatus: describeProvisioningStatus,
  CreateAccountAssignment: createAccountAssignment,
  DeleteAccountAssignment: deleteAccountAssignment,
  DescribeAccountAssignmentCreationStatus: describeCreationStatus,
  DescribeAccountAssignmentDeletionStatus: describeDeletionStatus,
  ListAccountAssignments: listAccountAssignments,
  ListPermissionSetsProvisionedToAccount: listPermissionSetsProvisionedToAccount,
};
