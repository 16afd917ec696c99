import type { PolicyDocument, Statement } from "./types";

export function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Returns a single value as itself and several as an array, the compact form policies allow. */
export function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

const LIST_FIELDS = new Set(["Action", "NotAction", "Resource", "NotResource"]);

function scalarList(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return uniqueSorted(values.map((item) => String(item)));
}

function canonicalPrincipalValue(value: string): string {
  const account = /^(?:arn:[a-z-]+:iam::)?(\d{12})(?::root)?$/.exec(value);
  return account ? `account:${account[1]}` : value;
}

function canonicalPrincipal(principal: unknown): unknown {
  if (principal === null || typeof principal !== "object") return principal;
  const result: Record<string, string[]> = {};
  for (const [type, value] of Object.entries(principal as Record<string, unknown>)) {
    result[type] = uniqueSorted(scalarList(value).map(canonicalPrincipalValue));
  }
  return result;
}

function canonicalCondition(condition: unknown): unknown {
  if (condition === null || typeof condition !== "object") return condition;
  const result: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== "object") return condition;
    const keys: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      keys[key.toLowerCase()] = scalarList(value);
    }
    result[operator] = keys;
  }
  return result;
}

/**
 * Returns a form of a statement without the differences that do not change its
 * meaning. These are a single value versus a one-element array, the order of
 * values, the case of actions and condition keys, and an account ID versus its
 * root ARN as principal, because S3 and KMS may rewrite these when they store a policy.
 */
export function canonicalStatement(statement: unknown): unknown {
  if (statement === null || typeof statement !== "object" || Array.isArray(statement)) return statement;
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(statement as Record<string, unknown>)) {
    if (LIST_FIELDS.has(field)) {
      const values = scalarList(value);
      result[field] = field.endsWith("Action") ? uniqueSorted(values.map((action) => action.toLowerCase())) : values;
    } else if (field === "Principal" || field === "NotPrincipal") {
      result[field] = canonicalPrincipal(value);
    } else if (field === "Condition") {
      result[field] = canonicalCondition(value);
    } else {
      result[field] = value;
    }
  }
  return result;
}

export function sameStatement(left: unknown, right: unknown): boolean {
  return stableJson(canonicalStatement(left)) === stableJson(canonicalStatement(right));
}

/** Returns the statements of a document, also when it contains a single statement object instead of an array. */
export function statementList(document: PolicyDocument): Statement[] {
  const statements: unknown = document.Statement;
  if (Array.isArray(statements)) return statements as Statement[];
  return statements === undefined || statements === null ? [] : [statements as Statement];
}

/** Returns the fields of a document other than Statement (Version, Id). */
export function documentFields(document: PolicyDocument): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([name]) => name !== "Statement"));
}

export function sameDocument(left: PolicyDocument | null, right: PolicyDocument | null): boolean {
  if (left === null || right === null) return left === right;
  if (stableJson(documentFields(left)) !== stableJson(documentFields(right))) return false;
  const leftStatements = statementList(left);
  const rightStatements = statementList(right);
  if (leftStatements.length !== rightStatements.length) return false;
  return leftStatements.every((statement, index) => sameStatement(statement, rightStatements[index]));
}
