import type { CallContext } from "../context";
import { ServiceError } from "../protocol";
import type { RoleRecord } from "../state";
import { leaf, node } from "../xml";

/** A Query protocol handler: reads the form parameters and returns the XML inside `<ActionResult>`. */
export type QueryHandler = (params: URLSearchParams, context: CallContext) => string;

function roleXml(role: RoleRecord): string {
  return (
    leaf("Path", role.path) +
    leaf("RoleName", role.name) +
    leaf("RoleId", role.roleId) +
    leaf("Arn", role.arn) +
    leaf("CreateDate", role.createDate) +
    // IAM returns policy documents URL-encoded.
    leaf("AssumeRolePolicyDocument", encodeURIComponent(role.trustPolicy)) +
    leaf("Description", role.description) +
    leaf("MaxSessionDuration", role.maxSessionDuration)
  );
}

function validation(message: string): ServiceError {
  return new ServiceError("ValidationError", message, 400);
}

function findRole(context: CallContext, roleName: string | null): RoleRecord {
  if (!roleName) throw validation("1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null");
  const role = Object.values(context.store.state.roles).find(
    (candidate) => candidate.accountId === context.principal.accountId && candidate.name === roleName,
  );
  if (!role) throw new ServiceError("NoSuchEntity", `The role with name ${roleName} cannot be found.`, 404);
  return role;
}

function listRoles(params: URLSearchParams, context: CallContext): string {
  const pathPrefix = params.get("PathPrefix") ?? "/";
  const maxItems = Number(params.get("MaxItems") ?? "100");
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw validation("MaxItems must be an integer from 1 to 1000");
  }
  const marker = params.get("Marker");
  const offset = marker ? Number(Buffer.from(marker, "base64url").toString("utf8")) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw validation(`Invalid Marker: ${marker}`);

  const roles = Object.values(context.store.state.roles)
    .filter((role) => role.accountId === context.principal.accountId && role.path.startsWith(pathPrefix))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  const page = roles.slice(offset, offset + maxItems);
  const truncated = offset + maxItems < roles.length;
  return (
    leaf("IsTruncated", truncated) +
    node("Roles", ...page.map((role) => node("member", roleXml(role)))) +
    (truncated ? leaf("Marker", Buffer.from(String(offset + maxItems)).toString("base64url")) : "")
  );
}

function getRole(params: URLSearchParams, context: CallContext): string {
  return node("Role", roleXml(findRole(context, params.get("RoleName"))));
}

function listRolePolicies(params: URLSearchParams, context: CallContext): string {
  const role = findRole(context, params.get("RoleName"));
  const names = Object.keys(role.inlinePolicies).sort();
  return leaf("IsTruncated", false) + node("PolicyNames", ...names.map((name) => leaf("member", name)));
}

function getRolePolicy(params: URLSearchParams, context: CallContext): string {
  const role = findRole(context, params.get("RoleName"));
  const policyName = params.get("PolicyName") ?? "";
  const document = role.inlinePolicies[policyName];
  if (document === undefined) {
    throw new ServiceError("NoSuchEntity", `The role policy with name ${policyName} cannot be found.`, 404);
  }
  return leaf("RoleName", role.name) + leaf("PolicyName", policyName) + leaf("PolicyDocument", encodeURIComponent(document));
}

export const iamOperations: Record<string, QueryHandler> = {
  ListRoles: listRoles,
  GetRole: getRole,
  ListRolePolicies: listRolePolicies,
  GetRolePolicy: getRolePolicy,
};
