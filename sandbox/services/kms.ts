import { z } from "zod";
import { epochSeconds, parseInput, type CallContext, type JsonHandler } from "../context";
import { awsPrincipals, checkPolicy, toList, type PolicyStatement } from "../policy-check";
import { ServiceError } from "../protocol";
import type { KeyRecord } from "../state";

/**
 * KMS key policy size quota: 32 kilobytes (32,768 bytes).
 * NOTE: KMS does not say whether white space counts; the sandbox counts every byte sent.
 */
const MAX_KEY_POLICY_BYTES = 32_768;

function notFound(keyId: string): ServiceError {
  return new ServiceError("NotFoundException", `Key '${keyId}' does not exist`);
}

/**
 * Finds a key by key ID, key ARN, alias name or alias ARN. IDs and alias
 * names resolve in the caller's account and Region, as in KMS.
 */
function findKey(keyId: string, context: CallContext): KeyRecord {
  const keys = Object.values(context.store.state.keys);
  const { accountId } = context.principal;
  let key: KeyRecord | undefined;

  if (keyId.startsWith("arn:")) {
    const aliasArn = /^arn:aws:kms:([^:]+):(\d{12}):(alias\/.+)$/.exec(keyId);
    key = aliasArn
      ? keys.find((k) => k.region === aliasArn[1] && k.accountId === aliasArn[2] && k.aliases.includes(aliasArn[3] ?? ""))
      : keys.find((k) => k.arn === keyId);
    if (key && key.region !== context.region) {
      throw new ServiceError(
        "NotFoundException",
        `Key '${keyId}' is in Region ${key.region}, but the request was sent to ${context.region}`,
      );
    }
  } else if (keyId.startsWith("alias/")) {
    key = keys.find((k) => k.accountId === accountId && k.region === context.region && k.aliases.includes(keyId));
  } else {
    key = keys.find((k) => k.accountId === accountId && k.region === context.region && k.keyId === keyId);
  }
  if (!key) throw notFound(keyId);

  // Simplification: only the key's own account may use it. Real KMS would
  // also let other accounts in when the key policy allows them.
  if (key.accountId !== accountId) {
    throw new ServiceError(
      "AccessDeniedException",
      `User: ${context.principal.arn} is not authorized to access key ${key.arn} because no resource-based policy allows it`,
    );
  }
  return key;
}

const keyIdSchema = z.object({ KeyId: z.string().min(1).max(2048) });

function describeKey(input: Record<string, unknown>, context: CallContext): unknown {
  const { KeyId } = parseInput(keyIdSchema, input);
  const key = findKey(KeyId, context);
  return {
    KeyMetadata: {
      AWSAccountId: key.accountId,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: epochSeconds(key.createdDate),
      Enabled: key.keyState === "Enabled",
      Description: key.description,
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: key.keyState,
      Origin: "AWS_KMS",
      KeyManager: key.keyManager,
      CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
      KeySpec: "SYMMETRIC_DEFAULT",
      EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
      MultiRegion: key.multiRegion,
      ...(key.multiRegion
        ? {
            MultiRegionConfiguration: {
              MultiRegionKeyType: "PRIMARY",
              PrimaryKey: { Arn: key.arn, Region: key.region },
              ReplicaKeys: [],
            },
          }
        : {}),
    },
  };
}

const policyNameSchema = z.string().refine((name) => name === "default", "PolicyName must be 'default'");

function getKeyPolicy(input: Record<string, unknown>, context: CallContext): unknown {
  const { KeyId } = parseInput(keyIdSchema.extend({ PolicyName: policyNameSchema.optional() }), input);
  const key = findKey(KeyId, context);
  return { Policy: key.policy, PolicyName: "default" };
}

function matchesWildcard(pattern: string, value: string): boolean {
  const expression = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${expression}$`, "i").test(value);
}

/**
 * The key policy lockout check of PutKeyPolicy, simplified: some Allow
 * statement without a condition must let the caller (by account, account
 * root or role ARN) call kms:PutKeyPolicy on the key.
 */
function keepsCallerAccess(statements: PolicyStatement[], context: CallContext, keyArn: string): boolean {
  const { accountId, roleArn } = context.principal;
  const callerValues = new Set(["*", accountId, `arn:aws:iam::${accountId}:root`, ...(roleArn ? [roleArn] : [])]);
  return statements.some((statement) => {
    if (statement.Effect !== "Allow" || statement.Condition !== undefined || statement.Principal === undefined) {
      return false;
    }
    const principals = awsPrincipals(statement.Principal) ?? [];
    const actions = toList(statement.Action).map(String);
    const resources = toList(statement.Resource).map(String);
    return (
      principals.some((principal) => callerValues.has(principal)) &&
      actions.some((action) => matchesWildcard(action, "kms:PutKeyPolicy")) &&
      resources.some((resource) => matchesWildcard(resource, keyArn))
    );
  });
}

function putKeyPolicy(input: Record<string, unknown>, context: CallContext): unknown {
  const request = parseInput(
    keyIdSchema.extend({
      PolicyName: policyNameSchema.optional(),
      Policy: z.string().min(1),
      BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
    }),
    input,
  );
  const key = findKey(request.KeyId, context);

  const check = checkPolicy(request.Policy, "key", context.store.state);
  if (!check.ok) {
    const message =
      check.problem === "principal" ? `Policy contains a statement with one or more invalid principals. ${check.message}` : check.message;
    throw new ServiceError("MalformedPolicyDocumentException", message);
  }
  const bytes = Buffer.byteLength(request.Policy, "utf8");
  if (bytes > MAX_KEY_POLICY_BYTES) {
    throw new ServiceError(
      "LimitExceededException",
      `The key policy is ${bytes} bytes; the maximum size is ${MAX_KEY_POLICY_BYTES} bytes`,
    );
  }
  if (!request.BypassPolicyLockoutSafetyCheck && !keepsCallerAccess(check.statements, context, key.arn)) {
    throw new ServiceError(
      "MalformedPolicyDocumentException",
      "The new key policy will not allow you to update the key policy in the future.",
    );
  }

  context.store.update(() => {
    key.policy = request.Policy;
  });
  return {};
}

export const kmsOperations: Record<string, JsonHandler> = {
  DescribeKey: describeKey,
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
};
