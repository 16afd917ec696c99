import { randomBytes } from "node:crypto";
import { z } from "zod";
import { epochSeconds, parseInput, type CallContext, type JsonHandler } from "../context";
import { paginate } from "../paginate";
import { checkPolicy, minifiedLength } from "../policy-check";
import { ServiceError } from "../protocol";
import type { PermissionSetRecord } from "../state";
import { findPermissionSet, instanceArnSchema, permissionSetArnSchema } from "./sso-access";
import { durationSeconds } from "./sso-operations";

/** Inline policy quotas of a permission set: 10,240 characters without white space, 32,768 in all. */
const MAX_INLINE_POLICY_CHARACTERS = 10_240;
const MAX_INLINE_POLICY_TOTAL = 32_768;

const sessionDurationSchema = z.string().refine((value) => {
  const seconds = durationSeconds(value);
  return seconds !== null && seconds >= 3600 && seconds <= 43_200;
}, "must be an ISO 8601 duration from PT1H to PT12H");

const pageSchema = {
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
};

export function permissionSetShape(permissionSet: PermissionSetRecord): Record<string, unknown> {
  return {
    Name: permissionSet.name,
    PermissionSetArn: permissionSet.arn,
    Description: permissionSet.description,
    CreatedDate: epochSeconds(permissionSet.createdDate),
    SessionDuration: permissionSet.sessionDuration,
    RelayState: permissionSet.relayState,
  };
}

function listInstances(input: Record<string, unknown>, context: CallContext): unknown {
  parseInput(z.object(pageSchema), input);
  const center = context.store.state.identityCenter;
  return {
    Instances: [
      {
        InstanceArn: center.instanceArn,
        IdentityStoreId: center.identityStoreId,
        OwnerAccountId: center.accountId,
        Name: center.name,
        CreatedDate: epochSeconds(center.createdDate),
        Status: "ACTIVE",
      },
    ],
  };
}

function createPermissionSet(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({
      InstanceArn: instanceArnSchema,
      Name: z.string().regex(/^[\w+=,.@-]{1,32}$/, "must be 1 to 32 characters of [A-Za-z0-9_+=,.@-]"),
      Description: z.string().max(700).optional(),
      SessionDuration: sessionDurationSchema.optional(),
      RelayState: z.string().max(240).optional(),
    }),
    input,
  );
  const center = context.store.state.identityCenter;
  if (Object.values(center.permissionSets).some((existing) => existing.name === request.Name)) {
    throw new ServiceError("ConflictException", `PermissionSet with name ${request.Name} already exists.`);
  }
  const instanceId = center.instanceArn.split("/").pop() ?? "";
  const permissionSet: PermissionSetRecord = {
    arn: `arn:aws:sso:::permissionSet/${instanceId}/ps-${randomBytes(8).toString("hex")}`,
    name: request.Name,
    sessionDuration: request.SessionDuration ?? "PT1H",
    createdDate: context.now.toISOString(),
    inlinePolicy: null,
    version: 1,
    ...(request.Description !== undefined ? { description: request.Description } : {}),
    ...(request.RelayState !== undefined ? { relayState: request.RelayState } : {}),
  };
  context.store.update((state) => {
    state.identityCenter.permissionSets[permissionSet.arn] = permissionSet;
  });
  return { PermissionSet: permissionSetShape(permissionSet) };
}

const permissionSetInput = z.object({ InstanceArn: instanceArnSchema, PermissionSetArn: permissionSetArnSchema });

function describePermissionSet(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(permissionSetInput, input);
  const permissionSet = findPermissionSet(context.store.state.identityCenter, request.PermissionSetArn);
  return { PermissionSet: permissionSetShape(permissionSet) };
}

function listPermissionSets(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(z.object({ InstanceArn: instanceArnSchema, ...pageSchema }), input);
  const arns = Object.values(context.store.state.identityCenter.permissionSets)
    .sort((a, b) => a.createdDate.localeCompare(b.createdDate))
    .map((permissionSet) => permissionSet.arn);
  const { page, nextToken } = paginate(arns, request.MaxResults, request.NextToken);
  return { PermissionSets: page, NextToken: nextToken };
}

function updatePermissionSet(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    permissionSetInput.extend({
      Description: z.string().max(700).optional(),
      SessionDuration: sessionDurationSchema.optional(),
      RelayState: z.string().max(240).optional(),
    }),
    input,
  );
  const permissionSet = findPermissionSet(context.store.state.identityCenter, request.PermissionSetArn);
  context.store.update(() => {
    if (request.Description !== undefined) permissionSet.description = request.Description;
    if (request.SessionDuration !== undefined) permissionSet.sessionDuration = request.SessionDuration;
    if (request.RelayState !== undefined) permissionSet.relayState = request.RelayState;
    permissionSet.version += 1;
  });
  return {};
}

function putInlinePolicy(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(permissionSetInput.extend({ InlinePolicy: z.string().min(1) }), input);
  const permissionSet = findPermissionSet(context.store.state.identityCenter, request.PermissionSetArn);

  if (request.InlinePolicy.length > MAX_INLINE_POLICY_TOTAL) {
    throw new ServiceError(
      "ValidationException",
      `The inline policy is ${request.InlinePolicy.length} characters; the maximum is ${MAX_INLINE_POLICY_TOTAL}`,
    );
  }
  const check = checkPolicy(request.InlinePolicy, "identity", context.store.state);
  if (!check.ok) throw new ServiceError("ValidationException", `The inline policy is invalid: ${check.message}`);
  const length = minifiedLength(check.document);
  if (length > MAX_INLINE_POLICY_CHARACTERS) {
    throw new ServiceError(
      "ValidationException",
      `The inline policy is ${length} characters without white space; the maximum is ${MAX_INLINE_POLICY_CHARACTERS}`,
    );
  }

  context.store.update(() => {
    permissionSet.inlinePolicy = request.InlinePolicy;
    permissionSet.version += 1;
  });
  return {};
}

function getInlinePolicy(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(permissionSetInput, input);
  const permissionSet = findPermissionSet(context.store.state.identityCenter, request.PermissionSetArn);
  return { InlinePolicy: permissionSet.inlinePolicy ?? "" };
}

function deleteInlinePolicy(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(permissionSetInput, input);
  const permissionSet = findPermissionSet(context.store.state.identityCenter, request.PermissionSetArn);
  context.store.update(() => {
    permissionSet.inlinePolicy = null;
    permissionSet.version += 1;
  });
  return {};
}

export const permissionSetOperations: Record<string, JsonHandler> = {
  ListInstances: listInstances,
  CreatePermissionSet: createPermissionSet,
  DescribePermissionSet: describePermissionSet,
  ListPermissionSets: listPermissionSets,
  UpdatePermissionSet: updatePermissionSet,
  PutInlinePolicyToPermissionSet: putInlinePolicy,
  GetInlinePolicyForPermissionSet: getInlinePolicy,
  DeleteInlinePolicyFromPermissionSet: deleteInlinePolicy,
};
