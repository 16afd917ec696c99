import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { CallContext } from "../context";
import { ServiceError } from "../protocol";
import type { BucketRecord } from "../state";
import { isReservedSsoRole, userOfSession } from "./sts";

export interface ObjectCallDetails {
  /** Key that S3 would use to encrypt or decrypt the object; null for none or SSE-S3. */
  kmsKeyArn: string | null;
  prefix?: string;
  delimiter?: string;
  encryptionHeader?: string;
  encryptionKeyHeader?: string;
}

// S3 calls KMS on the caller's behalf: GenerateDataKey to write an object,
// Decrypt to read one.
const KMS_ACTION: Partial<Record<string, string>> = {
  "s3:GetObject": "kms:Decrypt",
  "s3:PutObject": "kms:GenerateDataKey",
};

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * Identity policies of the caller. Roles use their inline policies; the
 * portal's IAM user, the only user the sandbox models, is treated as an
 * administrator of its account.
 */
function identityPolicies(context: CallContext): Simulation["identityPolicies"] {
  const { principal } = context;
  if (principal.kind === "user" || !principal.roleArn) return [{ name: "user-admin", policy: ALLOW_ALL }];
  const role = context.store.state.roles[principal.roleArn];
  return Object.entries(role?.inlinePolicies ?? {}).map(([name, text]) => ({ name, policy: JSON.parse(text) }));
}

/**
 * Identity Center sessions carry the user's immutable ID as
 * identitystore:UserId, also after the user's assignment has been removed.
 */
function identityCenterContext(context: CallContext): Record<string, string> {
  const { principal } = context;
  const role = principal.roleArn ? context.store.state.roles[principal.roleArn] : undefined;
  if (!role || !isReservedSsoRole(role) || !principal.sessionName) return {};
  const user = userOfSession(context.store.state, principal.sessionName);
  return user ? { "identitystore:UserId": user.userId } : {};
}

function globalContext(context: CallContext): Record<string, string> {
  const { principal, now } = context;
  return {
    ...identityCenterContext(context),
    "aws:PrincipalArn": principal.roleArn ?? principal.arn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": principal.kind === "user" ? "User" : "AssumedRole",
    "aws:userid": principal.userId,
    // The SDK talks HTTPS to AWS; over the sandbox's plain HTTP the request
    // is treated as if it had come over TLS, so that deny-insecure-transport
    // statements behave as they do in AWS.
    "aws:SecureTransport": "true",
    "aws:CurrentTime": now.toISOString(),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    ...(principal.sessionIssuedAt ? { "aws:TokenIssueTime": principal.sessionIssuedAt } : {}),
  };
}

async function simulate(
  context: CallContext,
  action: string,
  resource: string,
  accountId: string,
  resourcePolicy: unknown,
  contextVariables: Record<string, string>,
): Promise<"Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied"> {
  const result = await runSimulation(
    {
      request: {
        principal: context.principal.arn,
        action,
        resource: { resource, accountId },
        contextVariables: { ...globalContext(context), ...contextVariables },
      },
      identityPolicies: identityPolicies(context),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === "error") {
    context.log.error({ errors: result.errors, action, resource }, "policy simulation failed");
    throw new ServiceError("InternalError", `The sandbox could not evaluate ${action}: ${result.errors.message}`, 500);
  }
  return result.overallResult;
}

function denied(context: CallContext, action: string, resource: string, outcome: string): ServiceError {
  const reason = outcome === "ExplicitlyDenied" ? "with an explicit deny" : "because no policy allows it";
  return new ServiceError(
    "AccessDenied",
    `User: ${context.principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`,
    403,
  );
}

/**
 * Authorizes an object call by evaluating the caller's identity policies,
 * the bucket policy and, for reads and writes of KMS-encrypted objects, the
 * key policy, with @cloud-copilot/iam-simulate. Throws AccessDenied.
 */
export async function authorizeObjectCall(
  context: CallContext,
  bucket: BucketRecord,
  action: string,
  resource: string,
  details: ObjectCallDetails,
): Promise<void> {
  const s3Context: Record<string, string> = {};
  if (details.prefix !== undefined) s3Context["s3:prefix"] = details.prefix;
  if (details.delimiter) s3Context["s3:delimiter"] = details.delimiter;
  if (details.encryptionHeader) s3Context["s3:x-amz-server-side-encryption"] = details.encryptionHeader;
  if (details.encryptionKeyHeader) {
    s3Context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = details.encryptionKeyHeader;
  }

  const bucketPolicy = bucket.policy ? JSON.parse(bucket.policy) : undefined;
  const s3Outcome = await simulate(context, action, resource, bucket.accountId, bucketPolicy, s3Context);
  if (s3Outcome !== "Allowed") throw denied(context, action, resource, s3Outcome);

  const kmsAction = KMS_ACTION[action];
  const key = details.kmsKeyArn ? context.store.state.keys[details.kmsKeyArn] : undefined;
  if (!kmsAction || !key) return;

  // With an S3 Bucket Key the encryption context is the bucket ARN, otherwise the object ARN.
  const encryptionContext = bucket.encryption?.bucketKeyEnabled ? `arn:aws:s3:::${bucket.name}` : resource;
  const kmsOutcome = await simulate(context, kmsAction, key.arn, key.accountId, JSON.parse(key.policy), {
    "kms:ViaService": `s3.${bucket.region}.amazonaws.com`,
    "kms:CallerAccount": context.principal.accountId,
    "kms:EncryptionContext:aws:s3:arn": encryptionContext,
  });
  if (kmsOutcome !== "Allowed") throw denied(context, kmsAction, key.arn, kmsOutcome);
}
