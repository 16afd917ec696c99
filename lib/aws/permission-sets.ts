import {
  CreatePermissionSetCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListPermissionSetsCommand,
  PutInlinePolicyToPermissionSetCommand,
  UpdatePermissionSetCommand,
} from "@aws-sdk/client-sso-admin";
import { callAws, type CallOptions } from "./call";
import type { AwsContext } from "./context";
import { AwsCallError } from "./errors";

export interface PermissionSetDescription {
  permissionSetArn: string;
  name: string;
  description: string | null;
  /** ISO 8601 duration, such as PT1H. */
  sessionDuration: string;
  createdDate: Date | null;
  requestId: string;
}

export async function describePermissionSet(
  context: AwsContext,
  permissionSetArn: string,
  options?: CallOptions,
): Promise<PermissionSetDescription> {
  const { instanceArn } = context.config.identityCenter;
  const { output, requestId } = await callAws(
    context,
    "sso-admin",
    "DescribePermissionSet",
    (sendOptions) =>
      context.consumer.ssoAdmin.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }),
        sendOptions,
      ),
    options,
  );
  const permissionSet = output.PermissionSet;
  return {
    permissionSetArn: permissionSet?.PermissionSetArn ?? permissionSetArn,
    name: permissionSet?.Name ?? "",
    description: permissionSet?.Description ?? null,
    sessionDuration: permissionSet?.SessionDuration ?? "PT1H",
    createdDate: permissionSet?.CreatedDate ?? null,
    requestId,
  };
}

/** Finds a permission set by name: Identity Center has no lookup by name, so this lists and describes them all. */
export async function findPermissionSetByName(
  context: AwsContext,
  name: string,
  options?: CallOptions,
): Promise<PermissionSetDescription | null> {
  const { instanceArn } = context.config.identityCenter;
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const { output } = await callAws(
      context,
      "sso-admin",
      "ListPermissionSets",
      (sendOptions) =>
        context.consumer.ssoAdmin.send(
          new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken: token }),
          sendOptions,
        ),
      options,
    );
    for (const arn of output.PermissionSets ?? []) {
      const description = await describePermissionSet(context, arn, options);
      if (description.name === name) return description;
    }
    nextToken = output.NextToken;
  } while (nextToken);
  return null;
}

/** Returns the permission set's inline policy, or null when it has none. */
export async function getInlinePolicy(
  context: AwsContext,
  permissionSetArn: string,
  options?: CallOptions,
): Promise<{ policy: string | null; requestId: string }> {
  const { instanceArn } = context.config.identityCenter;
  const { output, requestId } = await callAws(
    context,
    "sso-admin",
    "GetInlinePolicyForPermissionSet",
    (sendOptions) =>
      context.consumer.ssoAdmin.send(
        new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }),
        sendOptions,
      ),
    options,
  );
  return { policy: output.InlinePolicy ? output.InlinePolicy : null, requestId };
}

/** Compares two policy documents as JSON values, ignoring white space. */
function samePolicy(left: string | null, right: string): boolean {
  if (left === null) return false;
  try {
    return JSON.stringify(JSON.parse(left)) === JSON.stringify(JSON.parse(right));
  } catch {
    return left === right;
  }
}

export interface PermissionSetSpec {
  name: string;
  description?: string;
  /** ISO 8601 duration from PT1H to PT12H. */
  sessionDuration: string;
  inlinePolicy: string;
}

export interface EnsuredPermissionSet {
  permissionSetArn: string;
  created: boolean;
  sessionDurationUpdated: boolean;
  /** True when the inline policy changed, so the permission set must be provisioned again. */
  inlinePolicyUpdated: boolean;
  /** AWS request IDs of the calls that changed something, in order. */
  requestIds: string[];
}

async function createOrFind(
  context: AwsContext,
  spec: PermissionSetSpec,
  options?: CallOptions,
): Promise<{ permissionSetArn: string; requestId: string } | null> {
  const { instanceArn } = context.config.identityCenter;
  try {
    const { output, requestId } = await callAws(
      context,
      "sso-admin",
      "CreatePermissionSet",
      (sendOptions) =>
        context.consumer.ssoAdmin.send(
          new CreatePermissionSetCommand({
            InstanceArn: instanceArn,
            Name: spec.name,
            Description: spec.description,
            SessionDuration: spec.sessionDuration,
          }),
          sendOptions,
        ),
      options,
    );
    const permissionSetArn = output.PermissionSet?.PermissionSetArn;
    if (!permissionSetArn) throw new Error(`CreatePermissionSet for ${spec.name} returned no ARN`);
    return { permissionSetArn, requestId };
  } catch (error) {
    // Another process created it between our lookup and our create.
    if (error instanceof AwsCallError && error.code === "ConflictException") return null;
    throw error;
  }
}

/**
 * Makes sure a permission set with this name exists with the given session
 * duration, description and inline policy: finds it by name or creates it,
 * then updates only what differs. It does not provision the permission set.
 */
export async function ensurePermissionSet(
  context: AwsContext,
  spec: PermissionSetSpec,
  options?: CallOptions,
): Promise<EnsuredPermissionSet> {
  const { instanceArn } = context.config.identityCenter;
  const requestIds: string[] = [];
  let existing = await findPermissionSetByName(context, spec.name, options);
  let created = false;

  if (!existing) {
    const result = await createOrFind(context, spec, options);
    if (result) {
      created = true;
      requestIds.push(result.requestId);
      existing = await describePermissionSet(context, result.permissionSetArn, options);
    } else {
      existing = await findPermissionSetByName(context, spec.name, options);
      if (!existing) throw new Error(`Permission set ${spec.name} conflicted on create but cannot be found`);
    }
  }
  const permissionSetArn = existing.permissionSetArn;

  const descriptionChanged = spec.description !== undefined && spec.description !== existing.description;
  const sessionDurationUpdated = existing.sessionDuration !== spec.sessionDuration;
  if (sessionDurationUpdated || descriptionChanged) {
    const { requestId } = await callAws(
      context,
      "sso-admin",
      "UpdatePermissionSet",
      (sendOptions) =>
        context.consumer.ssoAdmin.send(
          new UpdatePermissionSetCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: permissionSetArn,
            SessionDuration: spec.sessionDuration,
            Description: spec.description,
          }),
          sendOptions,
        ),
      options,
    );
    requestIds.push(requestId);
  }

  const current = await getInlinePolicy(context, permissionSetArn, options);
  const inlinePolicyUpdated = !samePolicy(current.policy, spec.inlinePolicy);
  if (inlinePolicyUpdated) {
    const { requestId } = await callAws(
      context,
      "sso-admin",
      "PutInlinePolicyToPermissionSet",
      (sendOptions) =>
        context.consumer.ssoAdmin.send(
          new PutInlinePolicyToPermissionSetCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: permissionSetArn,
            InlinePolicy: spec.inlinePolicy,
          }),
          sendOptions,
        ),
      options,
    );
    requestIds.push(requestId);
  }

  return { permissionSetArn, created, sessionDurationUpdated, inlinePolicyUpdated, requestIds };
}
