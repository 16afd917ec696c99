import { PORTAL_USER } from "./scenario";
import type { SandboxState } from "./state";

/** bucket = S3 bucket policy, key = KMS key policy, identity = permission set inline policy. */
export type PolicyKind = "bucket" | "key" | "identity";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export type PolicyCheck =
  | { ok: true; document: Record<string, unknown>; statements: PolicyStatement[] }
  | { ok: false; problem: "json" | "structure" | "principal"; message: string };

const TOP_LEVEL_FIELDS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_FIELDS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const PRINCIPAL_TYPES = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);

// Condition operators of the IAM policy language; each may end in
// "IfExists" and carry a ForAnyValue:/ForAllValues: set prefix.
const CONDITION_OPERATORS = new Set([
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
]);

const ACTION_SERVICE: Record<PolicyKind, RegExp> = {
  bucket: /^s3:[A-Za-z0-9*?]+$/,
  key: /^kms:[A-Za-z0-9*?]+$/,
  identity: /^[a-z0-9-]+:[A-Za-z0-9*?]+$/,
};

export function toList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringOrStringList(value: unknown): value is string | string[] {
  if (typeof value === "string") return value.length > 0;
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && item !== "");
}

export function isConditionOperator(name: string): boolean {
  const withoutSet = name.replace(/^(ForAnyValue|ForAllValues):/, "");
  const base = withoutSet.endsWith("IfExists") ? withoutSet.slice(0, -"IfExists".length) : withoutSet;
  return CONDITION_OPERATORS.has(base);
}

/** Returns the AWS principal values of a Principal element, or null when the element is malformed. */
export function awsPrincipals(principal: unknown): string[] | null {
  if (principal === "*") return ["*"];
  if (!isPlainObject(principal)) return null;
  const values: string[] = [];
  for (const [type, value] of Object.entries(principal)) {
    if (!PRINCIPAL_TYPES.has(type) || !isStringOrStringList(value)) return null;
    if (type === "AWS") values.push(...toList(value).map(String));
  }
  return values;
}

const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/.+$/;
const USER_ARN = /^arn:aws:iam::(\d{12}):user\/.+$/;
const ASSUMED_ROLE_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/[^/]+\/.+$/;

/**
 * Checks one AWS principal value the way IAM resolves principals when a
 * resource policy is saved: a role or user of a sandbox account must exist,
 * and wildcards are only valid as the whole value "*".
 */
function principalProblem(value: string, state: SandboxState): string | null {
  if (value === "*" || /^\d{12}$/.test(value) || ACCOUNT_ROOT.test(value)) return null;
  if (value.includes("*") || value.includes("?")) return `Invalid principal in policy: ${value}`;

  const role = ROLE_ARN.exec(value);
  if (role) {
    const known = state.accounts[role[1] ?? ""] !== undefined;
    return known && !state.roles[value] ? `Invalid principal in policy: role ${value} does not exist` : null;
  }
  const user = USER_ARN.exec(value);
  if (user) {
    const known = state.accounts[user[1] ?? ""] !== undefined;
    return known && value !== PORTAL_USER.arn ? `Invalid principal in policy: user ${value} does not exist` : null;
  }
  if (ASSUMED_ROLE_ARN.test(value)) return null;
  return `Invalid principal in policy: ${value}`;
}

function checkStatement(
  raw: unknown,
  index: number,
  kind: PolicyKind,
  state: SandboxState,
  bucketName: string | undefined,
): { ok: false; problem: "structure" | "principal"; message: string } | null {
  const fail = (message: string) => ({ ok: false as const, problem: "structure" as const, message });
  if (!isPlainObject(raw)) return fail(`Statement ${index} is not an object`);

  for (const field of Object.keys(raw)) {
    if (!STATEMENT_FIELDS.has(field)) return fail(`Unknown field ${field}`);
  }
  if (raw.Sid !== undefined && typeof raw.Sid !== "string") return fail("Sid must be a string");
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") return fail(`Invalid effect: ${String(raw.Effect)}`);

  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (kind === "identity" && hasPrincipal) return fail("Policy document should not specify a principal.");
  if (kind !== "identity") {
    if (!hasPrincipal) return fail("Missing required field Principal");
    if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) {
      return fail("Statement can not have both Principal and NotPrincipal");
    }
    const values = awsPrincipals(raw.Principal ?? raw.NotPrincipal);
    if (values === null) return { ok: false, problem: "principal", message: "Invalid principal in policy" };
    for (const value of values) {
      const problem = principalProblem(value, state);
      if (problem) return { ok: false, problem: "principal", message: problem };
    }
  }

  const actions = raw.Action ?? raw.NotAction;
  if (actions === undefined) return fail("Missing required field Action");
  if (raw.Action !== undefined && raw.NotAction !== undefined) return fail("Statement can not have both Action and NotAction");
  if (!isStringOrStringList(actions)) return fail("Action must be a string or a list of strings");
  for (const action of toList(actions) as string[]) {
    if (action !== "*" && !ACTION_SERVICE[kind].test(action)) return fail(`Policy has invalid action: ${action}`);
  }

  const resources = raw.Resource ?? raw.NotResource;
  if (resources === undefined) return fail("Missing required field Resource");
  if (!isStringOrStringList(resources)) return fail("Resource must be a string or a list of strings");
  if (kind === "bucket" && bucketName) {
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    for (const resource of toList(resources) as string[]) {
      if (resource !== bucketArn && !resource.startsWith(`${bucketArn}/`)) {
        return fail(`Policy has invalid resource: ${resource}`);
      }
    }
  }

  if (raw.Condition !== undefined) {
    if (!isPlainObject(raw.Condition)) return fail("Condition must be an object");
    for (const [operator, block] of Object.entries(raw.Condition)) {
      if (!isConditionOperator(operator)) return fail(`Invalid Condition type : ${operator}`);
      if (!isPlainObject(block) || Object.keys(block).length === 0) {
        return fail(`Condition ${operator} must map condition keys to values`);
      }
    }
  }
  return null;
}

/** Parses and validates a policy document; size limits are the caller's, because they differ by service. */
export function checkPolicy(
  text: string,
  kind: PolicyKind,
  state: SandboxState,
  bucketName?: string,
): PolicyCheck {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, problem: "json", message: "Policies must be valid JSON and the first byte must be '{'" };
  }
  if (!isPlainObject(document)) {
    return { ok: false, problem: "json", message: "Policies must be valid JSON and the first byte must be '{'" };
  }
  for (const field of Object.keys(document)) {
    if (!TOP_LEVEL_FIELDS.has(field)) return { ok: false, problem: "structure", message: `Unknown field ${field}` };
  }
  if (document.Version !== undefined && !VERSIONS.has(String(document.Version))) {
    return { ok: false, problem: "structure", message: `Invalid policy version: ${String(document.Version)}` };
  }
  if (document.Statement === undefined) {
    return { ok: false, problem: "structure", message: "Missing required field Statement" };
  }
  const statements = toList(document.Statement);
  if (statements.length === 0) {
    return { ok: false, problem: "structure", message: "Statement must contain at least one statement" };
  }

  const sids = new Set<string>();
  for (const [index, statement] of statements.entries()) {
    const failure = checkStatement(statement, index, kind, state, bucketName);
    if (failure) return failure;
    const sid = (statement as PolicyStatement).Sid;
    if (sid !== undefined && sid !== "") {
      if (sids.has(sid)) {
        return { ok: false, problem: "structure", message: `Statement IDs (SID) must be unique: ${sid}` };
      }
      sids.add(sid);
    }
  }
  return { ok: true, document, statements: statements as PolicyStatement[] };
}

/** Returns the document's size in bytes without insignificant white space, as IAM counts its policy size limits. */
export function minifiedLength(document: unknown): number {
  return Buffer.byteLength(JSON.stringify(document), "utf8");
}
