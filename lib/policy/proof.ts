import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { normalizePlanInput, type NormalizedInput } from "./input";
import { bucketArn, s3ViaService, shortHash } from "./names";
import type { ProvableDocuments } from "./plan";
import type { AccessLevel, PlanInput, PolicyDocument } from "./types";

export type ProofOutcome = "allowed" | "denied";

export interface ProofRow {
  /** The grant the row checks, or null for a row about a revoked session. */
  grant: { prefix: string; consumerAccountId: string; permissionSetName: string; access: AccessLevel } | null;
  principal: { label: string; arn: string };
  action: string;
  resource: string;
  /** Plain description of the request, such as "list the prefix" or "upload naming another KMS key". */
  description: string;
  /** Context keys the request carries, as AWS would set them. */
  context: Record<string, string>;
  expected: ProofOutcome;
  actual: ProofOutcome | "error";
  /** Sids of the statements that decided (Allow in both policies, or the Deny), or "implicit deny". */
  decidedBy: string[];
  /** For an implicit deny: the documents in which no Allow matched. */
  missingAllowIn: string[];
  ok: boolean;
}

export interface ProofMatrix {
  simulator: string;
  ok: boolean;
  rows: ProofRow[];
}

export interface ProofOptions {
  /**
   * The Region of the consumer's IAM Identity Center, which appears in the
   * role path (omitted for us-east-1). Defaults to the bucket's Region.
   */
  identityCenterRegion?: string;
}

// Pinned in package.json and patched (see patches/); bump both together.
const SIMULATOR = "@cloud-copilot/iam-simulate 0.1.173";
const THIRD_ACCOUNT_CANDIDATES = ["111122223333", "444455556666", "777788889999"];
const ADMINISTRATOR_POLICY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

interface Actor {
  label: string;
  /** Role ARN: the value of aws:PrincipalArn. */
  roleArn: string;
  sessionArn: string;
  accountId: string;
  identityPolicyName: string;
  identityPolicy: PolicyDocument | null;
}

function roleSuffix(seed: string): string {
  return `${shortHash(seed)}${shortHash(`${seed}#`)}`;
}

function ssoRole(partition: string, accountId: string, roleName: string, identityCenterRegion: string) {
  const regionPath = identityCenterRegion === "us-east-1" ? "" : `${identityCenterRegion}/`;
  return {
    roleArn: `arn:${partition}:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/${regionPath}${roleName}`,
    sessionArn: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/proof@example.com`,
  };
}

interface Request {
  actor: Actor;
  action: string;
  resource: string;
  description: string;
  context: Record<string, string>;
  expected: ProofOutcome;
}

function documentNameOf(policyType: string, actor: Actor, action: string): string {
  if (policyType === "identity") return actor.identityPolicyName;
  if (policyType === "resource") return action.startsWith("kms:") ? "key policy" : "bucket policy";
  return `${policyType} policy`;
}

function statementLabel(statementId: string | undefined, statementIndex: number, documentName: string): string {
  return statementId ? statementId : `${documentName} statement ${statementIndex}`;
}

async function evaluate(request: Request, plan: ProvableDocuments, ownerAccountId: string) {
  const resourcePolicy = request.action.startsWith("kms:") ? plan.keyPolicy : plan.bucketPolicy;
  const simulation: Simulation = {
    request: {
      principal: request.actor.sessionArn,
      action: request.action,
      resource: { resource: request.resource, accountId: ownerAccountId },
      contextVariables: request.context,
    },
    identityPolicies: request.actor.identityPolicy ? [{ name: request.actor.identityPolicyName, policy: request.actor.identityPolicy }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resourcePolicy ?? undefined,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") {
    return { actual: "error" as const, decidedBy: [response.errors.message], missingAllowIn: [] };
  }
  const analysis = response.resultType === "single" ? response.result.analysis : response.results[0]?.analysis;
  if (!analysis) return { actual: "error" as const, decidedBy: ["the simulator returned no analysis"], missingAllowIn: [] };

  if (response.overallResult === "Allowed") {
    const decidedBy = getGrantReasons(analysis).map((grant) =>
      statementLabel(grant.statementId, grant.statementIndex, documentNameOf(grant.policyType, request.actor, request.action)),
    );
    return { actual: "allowed" as const, decidedBy, missingAllowIn: [] };
  }
  const denials = getDenialReasons(analysis);
  const explicit = denials.flatMap((denial) =>
    denial.denialType === "Explicit"
      ? [statementLabel(denial.statementId, denial.statementIndex, documentNameOf(denial.policyType, request.actor, request.action))]
      : [],
  );
  if (explicit.length > 0) return { actual: "denied" as const, decidedBy: explicit, missingAllowIn: [] };
  const missingAllowIn = [...new Set(denials.map((denial) => documentNameOf(denial.policyType, request.actor, request.action)))];
  return { actual: "denied" as const, decidedBy: ["implicit deny"], missingAllowIn };
}

function outsidePrefix(input: NormalizedInput): string {
  const prefixes = input.datasets.map((dataset) => dataset.prefix);
  const candidates = ["internal-files/", "private/", "not-shared/"];
  for (const candidate of candidates) {
    if (!prefixes.some((prefix) => candidate.startsWith(prefix) || prefix.startsWith(candidate))) return candidate;
  }
  return `not-shared-${shortHash(prefixes.join("|"))}/`;
}

function grantRequests(input: NormalizedInput, plan: ProvableDocuments, grant: NonNullable<ProofRow["grant"]>, options: ProofOptions): Request[] {
  const partition = input.scope.partition.name;
  const bucket = input.scope.bucket;
  const identityCenterRegion = options.identityCenterRegion ?? input.region;
  const bucketResource = bucketArn(partition, bucket);
  const objectKey = `${grant.prefix}example.txt`;
  const objectResource = `${bucketResource}/${objectKey}`;
  const outside = outsidePrefix(input);
  const outsideResource = `${bucketResource}/${outside}example.txt`;
  const viaS3 = s3ViaService(input.region, input.scope.partition);
  const readWrite = grant.access === "read-write";
  const otherKeyArn = input.keyArn.replace(/key\/[^/]+$/, "key/00000000-0000-4000-8000-000000000000");

  const consumerRoleName = `AWSReservedSSO_${grant.permissionSetName}_${roleSuffix(`${grant.consumerAccountId}/${grant.permissionSetName}`)}`;
  const consumer: Actor = {
    label: `role of permission set ${grant.permissionSetName} in account ${grant.consumerAccountId}`,
    ...ssoRole(partition, grant.consumerAccountId, consumerRoleName, identityCenterRegion),
    accountId: grant.consumerAccountId,
    identityPolicyName: `inline policy of permission set ${grant.permissionSetName}`,
    identityPolicy: plan.permissionSetPolicies[grant.permissionSetName] ?? null,
  };
  const otherRoleName = `AWSReservedSSO_${grant.permissionSetName}_Admin_${roleSuffix(`${grant.consumerAccountId}/other`)}`;
  const otherConsumerRole: Actor = {
    label: `another role in account ${grant.consumerAccountId} (permission set ${grant.permissionSetName}_Admin, full IAM permissions)`,
    ...ssoRole(partition, grant.consumerAccountId, otherRoleName, identityCenterRegion),
    accountId: grant.consumerAccountId,
    identityPolicyName: "AdministratorAccess",
    identityPolicy: ADMINISTRATOR_POLICY,
  };
  const usedAccounts = new Set([input.ownerAccountId, ...input.datasets.flatMap((dataset) => [...dataset.read, ...dataset.readWrite].map((holder) => holder.consumerAccountId))]);
  const thirdAccountId = THIRD_ACCOUNT_CANDIDATES.find((candidate) => !usedAccounts.has(candidate)) ?? "999988887777";
  const thirdAccount: Actor = {
    label: `role in third account ${thirdAccountId} (full IAM permissions)`,
    ...ssoRole(partition, thirdAccountId, consumerRoleName, identityCenterRegion),
    accountId: thirdAccountId,
    identityPolicyName: "AdministratorAccess",
    identityPolicy: ADMINISTRATOR_POLICY,
  };

  const base = (actor: Actor, secure = true): Record<string, string> => ({
    "aws:PrincipalArn": actor.roleArn,
    "aws:PrincipalAccount": actor.accountId,
    "aws:SecureTransport": secure ? "true" : "false",
  });
  const viaS3Context = (actor: Actor, encryptionContext: string) => ({
    ...base(actor),
    "kms:ViaService": viaS3,
    "kms:CallerAccount": actor.accountId,
    "kms:EncryptionContext:aws:s3:arn": encryptionContext,
  });
  const writeOutcome: ProofOutcome = readWrite ? "allowed" : "denied";
  const keyContext = input.bucketKeyEnabled ? bucketResource : objectResource;

  const requests: Request[] = [
    { actor: consumer, action: "s3:ListBucket", resource: bucketResource, description: `list the prefix ${grant.prefix}`, context: { ...base(consumer), "s3:prefix": grant.prefix }, expected: "allowed" },
    { actor: consumer, action: "s3:ListBucket", resource: bucketResource, description: "list the bucket root", context: { ...base(consumer), "s3:prefix": "" }, expected: "denied" },
    { actor: consumer, action: "s3:ListBucket", resource: bucketResource, description: `list another prefix (${outside})`, context: { ...base(consumer), "s3:prefix": outside }, expected: "denied" },
    { actor: consumer, action: "s3:GetObject", resource: objectResource, description: "download an object under the prefix", context: base(consumer), expected: "allowed" },
    { actor: consumer, action: "s3:PutObject", resource: objectResource, description: "upload without encryption headers (bucket default key)", context: base(consumer), expected: writeOutcome },
  ];
  if (readWrite) {
    requests.push(
      { actor: consumer, action: "s3:PutObject", resource: objectResource, description: "upload naming the dataset's KMS key", context: { ...base(consumer), "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": input.keyArn }, expected: "allowed" },
      { actor: consumer, action: "s3:PutObject", resource: objectResource, description: "upload naming another KMS key", context: { ...base(consumer), "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": otherKeyArn }, expected: "denied" },
      { actor: consumer, action: "s3:PutObject", resource: objectResource, description: "upload with SSE-S3 (AES256)", context: { ...base(consumer), "s3:x-amz-server-side-encryption": "AES256" }, expected: "denied" },
      { actor: consumer, action: "s3:PutObject", resource: objectResource, description: "upload with a customer-provided key (SSE-C)", context: { ...base(consumer), "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" }, expected: "denied" },
    );
  }
  requests.push(
    { actor: consumer, action: "s3:DeleteObject", resource: objectResource, description: "delete an object under the prefix", context: base(consumer), expected: "denied" },
    { actor: consumer, action: "s3:GetObject", resource: outsideResource, description: `download an object under another prefix (${outside})`, context: base(consumer), expected: "denied" },
    { actor: consumer, action: "s3:GetObject", resource: objectResource, description: "download over plain HTTP", context: base(consumer, false), expected: "denied" },
    { actor: consumer, action: "kms:Decrypt", resource: input.keyArn, description: "decrypt through S3 (download)", context: viaS3Context(consumer, keyContext), expected: "allowed" },
    { actor: consumer, action: "kms:GenerateDataKey", resource: input.keyArn, description: "generate a data key through S3 (upload)", context: viaS3Context(consumer, keyContext), expected: writeOutcome },
  );
  if (input.bucketKeyEnabled) {
    requests.push({ actor: consumer, action: "kms:Decrypt", resource: input.keyArn, description: "decrypt through S3 an object written before S3 Bucket Keys were on", context: viaS3Context(consumer, objectResource), expected: "allowed" });
  } else {
    requests.push({ actor: consumer, action: "kms:Decrypt", resource: input.keyArn, description: `decrypt through S3 an object under another prefix (${outside})`, context: viaS3Context(consumer, outsideResource), expected: "denied" });
  }
  requests.push(
    { actor: consumer, action: "kms:Decrypt", resource: input.keyArn, description: "decrypt with the key directly, not through S3", context: base(consumer), expected: "denied" },
    { actor: consumer, action: "kms:GenerateDataKey", resource: input.keyArn, description: "generate a data key directly, not through S3", context: base(consumer), expected: "denied" },
  );

  for (const outsider of [otherConsumerRole, thirdAccount]) {
    requests.push(
      { actor: outsider, action: "s3:ListBucket", resource: bucketResource, description: `list the prefix ${grant.prefix}`, context: { ...base(outsider), "s3:prefix": grant.prefix }, expected: "denied" },
      { actor: outsider, action: "s3:GetObject", resource: objectResource, description: "download an object under the prefix", context: base(outsider), expected: "denied" },
      { actor: outsider, action: "s3:PutObject", resource: objectResource, description: "upload under the prefix", context: base(outsider), expected: "denied" },
      { actor: outsider, action: "kms:Decrypt", resource: input.keyArn, description: "decrypt through S3", context: viaS3Context(outsider, keyContext), expected: "denied" },
      { actor: outsider, action: "kms:GenerateDataKey", resource: input.keyArn, description: "generate a data key through S3", context: viaS3Context(outsider, keyContext), expected: "denied" },
    );
  }
  return requests;
}

function revokedRequests(input: NormalizedInput, plan: ProvableDocuments, options: ProofOptions): Request[] {
  const partition = input.scope.partition.name;
  const identityCenterRegion = options.identityCenterRegion ?? input.region;
  return input.revokedSessions.map((revoked) => {
    const roleName = `AWSReservedSSO_${revoked.permissionSetName}_${roleSuffix(`${revoked.consumerAccountId}/${revoked.permissionSetName}`)}`;
    const actor: Actor = {
      label: `session of revoked user ${revoked.userId} (permission set ${revoked.permissionSetName} in account ${revoked.consumerAccountId})`,
      ...ssoRole(partition, revoked.consumerAccountId, roleName, identityCenterRegion),
      accountId: revoked.consumerAccountId,
      identityPolicyName: `inline policy of permission set ${revoked.permissionSetName}`,
      identityPolicy: plan.permissionSetPolicies[revoked.permissionSetName] ?? null,
    };
    const issued = new Date(Date.parse(revoked.issuedBefore) - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      actor,
      action: "s3:GetObject",
      resource: `${bucketArn(partition, input.scope.bucket)}/${revoked.prefix}example.txt`,
      description: `download with a session issued at ${issued}, before the revoke`,
      context: {
        "aws:PrincipalArn": actor.roleArn,
        "aws:PrincipalAccount": actor.accountId,
        "aws:SecureTransport": "true",
        "identitystore:UserId": revoked.userId,
        "aws:TokenIssueTime": issued,
      },
      expected: "denied" as const,
    };
  });
}

function grantsOf(input: NormalizedInput): NonNullable<ProofRow["grant"]>[] {
  const grants: NonNullable<ProofRow["grant"]>[] = [];
  for (const dataset of input.datasets) {
    for (const [access, holders] of [["read", dataset.read], ["read-write", dataset.readWrite]] as const) {
      for (const holder of holders) grants.push({ prefix: dataset.prefix, ...holder, access });
    }
  }
  return grants;
}

/**
 * Evaluates the planned documents with the IAM policy simulator and returns
 * the access matrix of every grant. The rows check what the grant's role must
 * and must not be able to do, that other principals can do none of it, and
 * that revoked sessions are denied. `plan` may also be documents read back
 * from AWS (see liveDocuments).
 */
export async function proveAccess(input: PlanInput, plan: ProvableDocuments, options: ProofOptions = {}): Promise<ProofMatrix> {
  const normalized = normalizePlanInput(input);
  const requests = [
    ...grantsOf(normalized).flatMap((grant) => grantRequests(normalized, plan, grant, options).map((request) => ({ grant, request }))),
    ...revokedRequests(normalized, plan, options).map((request) => ({ grant: null, request })),
  ];

  const rows: ProofRow[] = [];
  for (const { grant, request } of requests) {
    const outcome = await evaluate(request, plan, normalized.ownerAccountId);
    rows.push({
      grant,
      principal: { label: request.actor.label, arn: request.actor.roleArn },
      action: request.action,
      resource: request.resource,
      description: request.description,
      context: request.context,
      expected: request.expected,
      actual: outcome.actual,
      decidedBy: outcome.decidedBy,
      missingAllowIn: outcome.missingAllowIn,
      ok: outcome.actual === request.expected,
    });
  }
  return { simulator: SIMULATOR, ok: rows.every((row) => row.ok), rows };
}

/**
 * Formats a row as one line for logs and messages:
 * "FAIL read-write client-data/ | <principal> | kms:GenerateDataKey …: expected allowed, denied by implicit deny".
 */
export function describeRow(row: ProofRow): string {
  const mark = row.ok ? "ok" : "FAIL";
  const grant = row.grant ? `${row.grant.access} ${row.grant.prefix}` : "revoked session";
  return `${mark} ${grant} | ${row.principal.label} | ${row.action} ${row.description}: expected ${row.expected}, ${row.actual} by ${row.decidedBy.join(", ")}`;
}
