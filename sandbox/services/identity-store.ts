import { createHash } from "node:crypto";
import { z } from "zod";
import { parseInput, type CallContext, type JsonHandler } from "../context";
import { paginate } from "../paginate";
import { ServiceError } from "../protocol";
import type { GroupRecord, UserRecord } from "../state";

const identityStoreIdSchema = z.string().regex(/^d-[0-9a-f]{10}$|^[0-9a-f-]{36}$/, "must be an identity store ID");

const pageSchema = {
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
};

const filtersSchema = z
  .array(z.object({ AttributePath: z.string().min(1), AttributeValue: z.string().min(1) }))
  .max(1)
  .optional();

function notFound(context: CallContext, resourceType: string, resourceId: string, message: string): ServiceError {
  return new ServiceError("ResourceNotFoundException", message, 400, {
    ResourceType: resourceType,
    ResourceId: resourceId,
    RequestId: context.requestId,
  });
}

/** Wraps handlers: only principals of the instance's account may read its identity store. */
function withStoreAccess(handlers: Record<string, JsonHandler>): Record<string, JsonHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([operation, handler]) => [
      operation,
      (input: Record<string, unknown>, context: CallContext) => {
        const center = context.store.state.identityCenter;
        if (context.principal.accountId !== center.accountId) {
          throw new ServiceError(
            "AccessDeniedException",
            `User: ${context.principal.arn} is not authorized to perform: identitystore:${operation}`,
          );
        }
        if (input.IdentityStoreId !== undefined && input.IdentityStoreId !== center.identityStoreId) {
          throw notFound(context, "IDENTITY_STORE", String(input.IdentityStoreId), "Identity store does not exist");
        }
        return handler(input, context);
      },
    ]),
  );
}

function userShape(user: UserRecord, identityStoreId: string): Record<string, unknown> {
  return {
    UserId: user.userId,
    IdentityStoreId: identityStoreId,
    UserName: user.userName,
    DisplayName: user.displayName,
    Name: { GivenName: user.givenName, FamilyName: user.familyName, Formatted: user.displayName },
    Emails: [{ Value: user.email, Type: "work", Primary: true }],
  };
}

function groupShape(group: GroupRecord, identityStoreId: string): Record<string, unknown> {
  return {
    GroupId: group.groupId,
    IdentityStoreId: identityStoreId,
    DisplayName: group.displayName,
    Description: group.description,
  };
}

function listUsers(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(z.object({ IdentityStoreId: identityStoreIdSchema, Filters: filtersSchema, ...pageSchema }), input);
  const center = context.store.state.identityCenter;
  const filter = request.Filters?.[0];
  if (filter && filter.AttributePath !== "UserName") {
    throw new ServiceError("ValidationException", `Filtering by ${filter.AttributePath} is not supported; use UserName`);
  }
  const users = Object.values(center.users)
    .filter((user) => !filter || user.userName === filter.AttributeValue)
    .map((user) => userShape(user, center.identityStoreId));
  const { page, nextToken } = paginate(users, request.MaxResults, request.NextToken);
  return { Users: page, NextToken: nextToken };
}

function listGroups(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(z.object({ IdentityStoreId: identityStoreIdSchema, Filters: filtersSchema, ...pageSchema }), input);
  const center = context.store.state.identityCenter;
  const filter = request.Filters?.[0];
  if (filter && filter.AttributePath !== "DisplayName") {
    throw new ServiceError("ValidationException", `Filtering by ${filter.AttributePath} is not supported; use DisplayName`);
  }
  const groups = Object.values(center.groups)
    .filter((group) => !filter || group.displayName === filter.AttributeValue)
    .map((group) => groupShape(group, center.identityStoreId));
  const { page, nextToken } = paginate(groups, request.MaxResults, request.NextToken);
  return { Groups: page, NextToken: nextToken };
}

function getUserId(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({
      IdentityStoreId: identityStoreIdSchema,
      AlternateIdentifier: z.object({
        UniqueAttribute: z.object({ AttributePath: z.string(), AttributeValue: z.unknown() }),
      }),
    }),
    input,
  );
  const { AttributePath, AttributeValue } = request.AlternateIdentifier.UniqueAttribute;
  // Identity Store spells the unique attribute path in lower camel case: userName, emails.value.
  if (AttributePath !== "userName" && AttributePath !== "emails.value") {
    throw new ServiceError("ValidationException", `Unsupported unique attribute path ${AttributePath}; use userName`);
  }
  const center = context.store.state.identityCenter;
  const user = Object.values(center.users).find((candidate) =>
    AttributePath === "userName" ? candidate.userName === AttributeValue : candidate.email === AttributeValue,
  );
  if (!user) throw notFound(context, "USER", String(AttributeValue), "USER not found.");
  return { IdentityStoreId: center.identityStoreId, UserId: user.userId };
}

function describeUser(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(z.object({ IdentityStoreId: identityStoreIdSchema, UserId: z.string().min(1) }), input);
  const center = context.store.state.identityCenter;
  const user = center.users[request.UserId];
  if (!user) throw notFound(context, "USER", request.UserId, "USER not found.");
  return userShape(user, center.identityStoreId);
}

/** Membership IDs are UUIDs; deriving them from the pair keeps them stable across resets. */
function membershipId(groupId: string, userId: string): string {
  const hex = createHash("sha256").update(`${groupId}|${userId}`).digest("hex");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join("-");
}

function listGroupMemberships(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    z.object({ IdentityStoreId: identityStoreIdSchema, GroupId: z.string().min(1), ...pageSchema }),
    input,
  );
  const center = context.store.state.identityCenter;
  const group = center.groups[request.GroupId];
  if (!group) throw notFound(context, "GROUP", request.GroupId, "GROUP not found.");
  const memberships = group.memberUserIds.map((userId) => ({
    IdentityStoreId: center.identityStoreId,
    MembershipId: membershipId(group.groupId, userId),
    GroupId: group.groupId,
    MemberId: { UserId: userId },
  }));
  const { page, nextToken } = paginate(memberships, request.MaxResults, request.NextToken);
  return { GroupMemberships: page, NextToken: nextToken };
}

export const identityStoreOperations = withStoreAccess({
  ListUsers: listUsers,
  ListGroups: listGroups,
  GetUserId: getUserId,
  DescribeUser: describeUser,
  ListGroupMemberships: listGroupMemberships,
});
