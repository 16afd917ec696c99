import { awsPrincipals, toList, type PolicyStatement } from "../policy-check";

// Condition keys that make a statement non-public when pinned to fixed
// values. The aws:Source*, aws:userid and KMS key ID keys are those listed in
// the S3 API reference (PublicAccessBlockConfiguration). The aws:Principal*
// keys pin the principal the way a fixed Principal does.
// NOTE: whether S3 itself counts the aws:Principal* keys is not confirmed.
const RESTRICTING_KEYS = new Set([
  "aws:sourceip",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceowner",
  "aws:sourceaccount",
  "aws:userid",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
]);

const NEGATED_OPERATOR = /Not|^Null$/;

function isRestricting(condition: PolicyStatement["Condition"]): boolean {
  if (!condition) return false;
  return Object.entries(condition).some(([operator, block]) => {
    if (NEGATED_OPERATOR.test(operator)) return false;
    return Object.entries(block).some(([key, value]) => {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) return false;
      const values = toList(value).map(String);
      return values.length > 0 && values.every((entry) => entry !== "*" && entry !== "");
    });
  });
}

/**
 * Decides IsPublic for GetBucketPolicyStatus: a policy is public when an
 * Allow statement grants to every principal ("*", {"AWS": "*"} or any
 * NotPrincipal) and none of its conditions pins a restricting key to fixed
 * values. S3's own analysis has more cases, such as "bad actions" and wide
 * IP ranges, which this rule does not model.
 */
export function isPublicPolicy(statements: PolicyStatement[]): boolean {
  return statements.some((statement) => {
    if (statement.Effect !== "Allow") return false;
    const grantsEveryone =
      statement.NotPrincipal !== undefined || (awsPrincipals(statement.Principal) ?? []).includes("*");
    return grantsEveryone && !isRestricting(statement.Condition);
  });
}
