import { randomBytes } from "node:crypto";
import type { CallContext } from "../context";
import { awsPrincipals, toList } from "../policy-check";
import { ServiceError } from "../protocol";
import type { RoleRecord, SandboxState, UserRecord } from "../state";
import { leaf, node } from "../xml";
import type { QueryHandler } from "./iam";

const ACCESS_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomAccessKeyId(): string {
  const bytes = randomBytes(16);
  return "ASIA" + Array.from(bytes, (byte) => ACCESS_KEY_ALPHABET[byte % 32]).join("");
}

/**
 * Checks whether a role trusts the caller, simplified. Any principal may
 * assume a role of its own account. A principal of another account needs an
 * Allow statement for sts:AssumeRole in the role's trust policy that names
 * its account (ID or root ARN) or the caller itself.
 */
function trusts(role: RoleRecord, context: CallContext): boolean {
  const { accountId, arn, roleArn } = context.principal;
  if (role.accountId === accountId) return true;
  const callers = new Set([accountId, `arn:aws:iam::${accountId}:root`, arn, ...(roleArn ? [roleArn] : [])]);
  let statements: unknown[];
  try {
    statements = toList((JSON.parse(role.trustPolicy) as { Statement?: unknown }).Statement);
  } catch {
    return false;
  }
  return statements.some((raw) => {
    const statement = raw as { Effect?: unknown; Principal?: unknown; Action?: unknown };
    const actions = toList(statement.Action).map(String);
    return (
      statement.Effect === "Allow" &&
      actions.some((action) => action === "sts:AssumeRole" || action === "sts:*" || action === "*") &&
      (awsPrincipals(statement.Principal) ?? []).some((principal) => callers.has(principal))
    );
  });
}

/** Finds the Identity Store user whose user name is the role session name. */
export function userOfSession(state: SandboxState, sessionName: string): UserRecord | null {
  return Object.values(state.identityCenter.users).find((user) => user.userName === sessionName) ?? null;
}

/**
 * Finds the Identity Store user a reserved SSO role session stands for. As
 * with credentials from the AWS access portal, the session name must be the
 * user name, and the user must hold an assignment of the role's permission
 * set in the role's account, directly or through a group.
 */
export function assignedUser(state: SandboxState, role: RoleRecord, sessionName: string): UserRecord | null {
  const center = state.identityCenter;
  const user = userOfSession(state, sessionName);
  const provisioned = center.provisioned.find((entry) => entry.roleArn === role.arn);
  if (!user || !provisioned) return null;
  const groups = Object.values(center.groups)
    .filter((group) => group.memberUserIds.includes(user.userId))
    .map((group) => group.groupId);
  const assigned = center.assignments.some(
    (entry) =>
      entry.accountId === role.accountId &&
      entry.permissionSetArn === provisioned.permissionSetArn &&
      (entry.principalType === "USER" ? entry.principalId === user.userId : groups.includes(entry.principalId)),
  );
  return assigned ? user : null;
}

export function isReservedSsoRole(role: RoleRecord): boolean {
  return role.path.startsWith("/aws-reserved/sso.amazonaws.com/");
}

function assumeRole(params: URLSearchParams, context: CallContext): string {
  const roleArn = params.get("RoleArn") ?? "";
  const sessionName = params.get("RoleSessionName") ?? "";
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new ServiceError("ValidationError", `Invalid RoleSessionName '${sessionName}': use 2 to 64 characters of [\\w+=,.@-]`);
  }
  const denied = new ServiceError(
    "AccessDenied",
    `User: ${context.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
  const role = context.store.state.roles[roleArn];
  if (!role || !trusts(role, context)) throw denied;
  if (isReservedSsoRole(role) && !assignedUser(context.store.state, role, sessionName)) {
    throw new ServiceError(
      "AccessDenied",
      `No Identity Center user named ${sessionName} holds an assignment that uses role ${role.arn}; the role session name must be the user name`,
      403,
    );
  }

  const durationSeconds = Number(params.get("DurationSeconds") ?? "3600");
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > role.maxSessionDuration) {
    throw new ServiceError(
      "ValidationError",
      `The requested DurationSeconds ${durationSeconds} is outside 900 to ${role.maxSessionDuration} seconds for role ${role.name}`,
    );
  }

  const accessKeyId = randomAccessKeyId();
  const secretAccessKey = randomBytes(30).toString("base64");
  const sessionToken = randomBytes(64).toString("base64");
  const expiration = new Date(context.now.getTime() + durationSeconds * 1000).toISOString();
  context.store.update((state) => {
    for (const [key, session] of Object.entries(state.sessions)) {
      if (Date.parse(session.expiration) <= context.now.getTime()) delete state.sessions[key];
    }
    state.sessions[accessKeyId] = {
      accessKeyId,
      sessionToken,
      accountId: role.accountId,
      roleArn: role.arn,
      roleId: role.roleId,
      sessionName,
      issuedAt: context.now.toISOString(),
      expiration,
    };
  });

  return (
    node(
      "Credentials",
      leaf("AccessKeyId", accessKeyId),
      leaf("SecretAccessKey", secretAccessKey),
      leaf("SessionToken", sessionToken),
      leaf("Expiration", expiration),
    ) +
    node(
      "AssumedRoleUser",
      leaf("AssumedRoleId", `${role.roleId}:${sessionName}`),
      leaf("Arn", `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`),
    )
  );
}

function getCallerIdentity(_params: URLSearchParams, context: CallContext): string {
  const { principal } = context;
  return leaf("Arn", principal.arn) + leaf("UserId", principal.userId) + leaf("Account", principal.accountId);
}

export const stsOperations: Record<string, QueryHandler> = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};
