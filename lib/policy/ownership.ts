import type { PolicyDocument } from "./types";

function wildcardMatches(pattern: string, value: string): boolean {
  const expression = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${expression}$`, "i").test(value);
}

function stringValues(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

function principalValues(principal: unknown): string[] {
  if (principal === "*") return ["*"];
  if (principal === null || typeof principal !== "object") return [];
  return stringValues((principal as Record<string, unknown>).AWS);
}

function isOwnerRoot(value: string, ownerAccountId: string): boolean {
  return value === ownerAccountId || new RegExp(`^arn:[a-z-]+:iam::${ownerAccountId}:root$`).test(value);
}

function isOwnerPrincipal(value: string, ownerAccountId: string): boolean {
  return value === "*" || isOwnerRoot(value, ownerAccountId) || new RegExp(`^arn:[a-z-]+:(iam|sts)::${ownerAccountId}:`).test(value);
}

function coversAction(statement: Record<string, unknown>, action: string): boolean {
  if (statement.NotAction !== undefined) return !stringValues(statement.NotAction).some((pattern) => wildcardMatches(pattern, action));
  return stringValues(statement.Action).some((pattern) => wildcardMatches(pattern, action));
}

function coversResource(statement: Record<string, unknown>, resource: string): boolean {
  if (statement.NotResource !== undefined) return !stringValues(statement.NotResource).some((pattern) => wildcardMatches(pattern, resource));
  return stringValues(statement.Resource).some((pattern) => wildcardMatches(pattern, resource));
}

function hasCondition(statement: Record<string, unknown>): boolean {
  const condition = statement.Condition;
  return condition !== undefined && condition !== null && Object.keys(condition as object).length > 0;
}

/**
 * Checks whether a statement is the key policy's administrative statement,
 * recognised by what it grants (Allow, the owner account's root, kms:*, no
 * condition) and not by its Sid.
 */
export function isKeyAdministrativeStatement(statement: Record<string, unknown>, ownerAccountId: string): boolean {
  return (
    statement.Effect === "Allow" &&
    !hasCondition(statement) &&
    statement.NotAction === undefined &&
    principalValues(statement.Principal).some((value) => isOwnerRoot(value, ownerAccountId)) &&
    stringValues(statement.Action).some((action) => action === "*" || action.toLowerCase() === "kms:*") &&
    stringValues(statement.Resource).includes("*")
  );
}

/**
 * Checks whether a principal of the owner account keeps kms:PutKeyPolicy: some
 * Allow without conditions grants it, and no Deny without conditions takes it away.
 * NOTE: statements with conditions are not counted either way, so an Allow
 * that depends on a condition does not save a plan and a conditional Deny does not stop one.
 */
export function ownerCanPutKeyPolicy(document: PolicyDocument, ownerAccountId: string, keyArn: string): boolean {
  const statements = document.Statement as unknown as Record<string, unknown>[];
  const action = "kms:PutKeyPolicy";
  const allowed = statements.some(
    (statement) =>
      statement.Effect === "Allow" &&
      !hasCondition(statement) &&
      principalValues(statement.Principal).some((value) => isOwnerPrincipal(value, ownerAccountId)) &&
      coversAction(statement, action) &&
      coversResource(statement, keyArn),
  );
  const denied = statements.some((statement) => {
    if (statement.Effect !== "Deny" || hasCondition(statement)) return false;
    if (!coversAction(statement, action) || !coversResource(statement, keyArn)) return false;
    if (statement.NotPrincipal !== undefined) {
      return !principalValues(statement.NotPrincipal).some((value) => isOwnerRoot(value, ownerAccountId));
    }
    return principalValues(statement.Principal).some((value) => value === "*" || isOwnerRoot(value, ownerAccountId));
  });
  return allowed && !denied;
}
