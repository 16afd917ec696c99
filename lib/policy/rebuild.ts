import { MANAGED_SID_PREFIX, bucketArn, parsePermissionSetRolePattern } from "./names";
import {
  datasetListStatement,
  datasetObjectsStatement,
  denyCustomerProvidedKeysStatement,
  denyInsecureTransportStatement,
  denyOtherEncryptionStatement,
  denyOtherKmsKeyStatement,
  getObjectsStatement,
  keyUseStatement,
  keyViaS3Statement,
  listPrefixesStatement,
  putObjectsStatement,
  revokedSessionStatement,
  SID,
  type BucketScope,
  type Holder,
  type RevokedSessionParameters,
} from "./statements";
import type { AccessLevel, Condition, Statement } from "./types";

/**
 * A managed statement read back from a live document: the statement the
 * generator would build from the values found in it, and its bucket. A live
 * statement that differs from its rebuilt form was edited by hand.
 */
export interface RebuiltStatement {
  bucket: string;
  statement: Statement;
}

type Rebuilder = (statement: Record<string, unknown>, scope: BucketScope) => RebuiltStatement | null;

interface ManagedKind {
  sid: RegExp;
  rebuild: Rebuilder;
}

function strings(value: unknown): string[] | null {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  return null;
}

function conditionValues(statement: Record<string, unknown>, operator: string, key: string): string[] | null {
  const condition = statement.Condition as Condition | undefined;
  const block = condition?.[operator];
  if (!block || typeof block !== "object") return null;
  const entry = Object.entries(block).find(([name]) => name.toLowerCase() === key.toLowerCase());
  return entry ? strings(entry[1]) : null;
}

const OBJECTS_ARN = /^arn:([a-z-]+):s3:::([a-z0-9.-]+)\/(.*)\*$/;
const BUCKET_ARN = /^arn:([a-z-]+):s3:::([a-z0-9.-]+)$/;

function parseObjectsArn(arn: string): { partition: string; bucket: string; prefix: string } | null {
  const match = OBJECTS_ARN.exec(arn);
  if (!match) return null;
  const [, partition = "", bucket = "", prefix = ""] = match;
  return prefix.endsWith("/") ? { partition, bucket, prefix } : null;
}

function parseHolders(statement: Record<string, unknown>): Holder[] | null {
  const patterns = conditionValues(statement, "ArnLike", "aws:PrincipalArn");
  if (!patterns || patterns.length === 0) return null;
  const holders: Holder[] = [];
  for (const pattern of patterns) {
    const parsed = parsePermissionSetRolePattern(pattern);
    if (!parsed) return null;
    holders.push(parsed);
  }
  return holders;
}

function levelOf(sid: unknown, kind: string): AccessLevel | null {
  if (typeof sid !== "string") return null;
  if (sid.startsWith(`${MANAGED_SID_PREFIX}ReadWrite${kind}`)) return "read-write";
  if (sid.startsWith(`${MANAGED_SID_PREFIX}Read${kind}`)) return "read";
  return null;
}

function scopeWithBucket(scope: BucketScope, bucket: string): BucketScope {
  return { partition: scope.partition, bucket };
}

function prefixesFrom(arns: string[], bucket: string): string[] | null {
  if (arns.length === 0) return null;
  const prefixes: string[] = [];
  for (const arn of arns) {
    const parsed = parseObjectsArn(arn);
    if (!parsed || parsed.bucket !== bucket) return null;
    prefixes.push(parsed.prefix);
  }
  return prefixes;
}

const rebuildDatasetObjects: Rebuilder = (statement, scope) => {
  const access = levelOf(statement.Sid, "Objects");
  const resource = strings(statement.Resource);
  const holders = parseHolders(statement);
  if (!access || !resource || resource.length !== 1 || !holders) return null;
  const parsed = parseObjectsArn(resource[0] as string);
  if (!parsed) return null;
  const target = scopeWithBucket(scope, parsed.bucket);
  return { bucket: parsed.bucket, statement: datasetObjectsStatement(target, parsed.prefix, access, holders) };
};

const rebuildDatasetList: Rebuilder = (statement, scope) => {
  const access = levelOf(statement.Sid, "List");
  const resource = strings(statement.Resource);
  const holders = parseHolders(statement);
  const prefixValue = conditionValues(statement, "StringLike", "s3:prefix")?.find((value) => value.endsWith("*"));
  const bucket = resource?.length === 1 ? BUCKET_ARN.exec(resource[0] as string)?.[2] : undefined;
  if (!access || !holders || !prefixValue || !bucket) return null;
  const prefix = prefixValue.slice(0, -1);
  return { bucket, statement: datasetListStatement(scopeWithBucket(scope, bucket), prefix, access, holders) };
};

const rebuildDenyInsecureTransport: Rebuilder = (statement, scope) => {
  const resource = strings(statement.Resource);
  const bucket = resource ? BUCKET_ARN.exec(resource[0] ?? "")?.[2] : undefined;
  if (!resource || !bucket) return null;
  const prefixes = prefixesFrom(resource.slice(1), bucket);
  if (!prefixes) return null;
  return { bucket, statement: denyInsecureTransportStatement(scopeWithBucket(scope, bucket), prefixes) };
};

function rebuildUploadDeny(build: (scope: BucketScope, prefixes: string[], statement: Record<string, unknown>) => Statement | null): Rebuilder {
  return (statement, scope) => {
    const resource = strings(statement.Resource);
    const first = resource ? parseObjectsArn(resource[0] ?? "") : null;
    if (!resource || !first) return null;
    const prefixes = prefixesFrom(resource, first.bucket);
    if (!prefixes) return null;
    const rebuilt = build(scopeWithBucket(scope, first.bucket), prefixes, statement);
    return rebuilt ? { bucket: first.bucket, statement: rebuilt } : null;
  };
}

const rebuildDenyOtherKmsKey = rebuildUploadDeny((scope, prefixes, statement) => {
  const keyArn = conditionValues(statement, "StringNotEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id");
  return keyArn?.length === 1 ? denyOtherKmsKeyStatement(scope, prefixes, keyArn[0] as string) : null;
});
const rebuildDenyOtherEncryption = rebuildUploadDeny((scope, prefixes) => denyOtherEncryptionStatement(scope, prefixes));
const rebuildDenyCustomerProvidedKeys = rebuildUploadDeny((scope, prefixes) => denyCustomerProvidedKeysStatement(scope, prefixes));

const rebuildRevokedSession: Rebuilder = (statement, scope) => {
  const resource = strings(statement.Resource);
  const userId = conditionValues(statement, "StringEquals", "identitystore:UserId");
  const holders = parseHolders(statement);
  const issuedBefore = conditionValues(statement, "DateLessThan", "aws:TokenIssueTime");
  const objects = resource?.length === 2 ? parseObjectsArn(resource[1] as string) : null;
  if (!objects || userId?.length !== 1 || holders?.length !== 1 || issuedBefore?.length !== 1) return null;
  const holder = holders[0] as Holder;
  const parameters: RevokedSessionParameters = {
    ...holder,
    userId: userId[0] as string,
    prefix: objects.prefix,
    issuedBefore: issuedBefore[0] as string,
  };
  return { bucket: objects.bucket, statement: revokedSessionStatement(scopeWithBucket(scope, objects.bucket), parameters) };
};

const VIA_SERVICE = /^s3\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

const rebuildKeyUse: Rebuilder = (statement, scope) => {
  const access = levelOf(statement.Sid, "KeyUse");
  const holders = parseHolders(statement);
  const region = VIA_SERVICE.exec(conditionValues(statement, "StringEquals", "kms:ViaService")?.[0] ?? "")?.[1];
  const contexts = conditionValues(statement, "StringLike", "kms:EncryptionContext:aws:s3:arn");
  const objects = contexts?.map(parseObjectsArn).find((parsed) => parsed !== null);
  if (!access || !holders || !region || !contexts || !objects) return null;
  const bucketKeyEnabled = contexts.includes(bucketArn(objects.partition, objects.bucket));
  const target = scopeWithBucket(scope, objects.bucket);
  return { bucket: objects.bucket, statement: keyUseStatement(target, region, objects.prefix, access, holders, bucketKeyEnabled) };
};

function rebuildIdentityObjects(build: (scope: BucketScope, prefixes: string[]) => Statement): Rebuilder {
  return (statement, scope) => {
    const resource = strings(statement.Resource);
    const first = resource ? parseObjectsArn(resource[0] ?? "") : null;
    if (!resource || !first) return null;
    const prefixes = prefixesFrom(resource, first.bucket);
    return prefixes ? { bucket: first.bucket, statement: build(scopeWithBucket(scope, first.bucket), prefixes) } : null;
  };
}

const rebuildListPrefixes: Rebuilder = (statement, scope) => {
  const resource = strings(statement.Resource);
  const bucket = resource?.length === 1 ? BUCKET_ARN.exec(resource[0] as string)?.[2] : undefined;
  const values = conditionValues(statement, "StringLike", "s3:prefix");
  if (!bucket || !values) return null;
  const prefixes = values.filter((value) => value.endsWith("*")).map((value) => value.slice(0, -1));
  if (prefixes.length === 0) return null;
  return { bucket, statement: listPrefixesStatement(scopeWithBucket(scope, bucket), prefixes) };
};

// The KMS statement names no bucket, so it belongs to the scope's bucket only
// when its Sid is the one this bucket's label gives.
const rebuildKeyViaS3: Rebuilder = (statement, scope) => {
  const resource = strings(statement.Resource);
  const region = VIA_SERVICE.exec(conditionValues(statement, "StringEquals", "kms:ViaService")?.[0] ?? "")?.[1];
  const actions = strings(statement.Action);
  if (resource?.length !== 1 || !region || !actions) return null;
  const readWrite = actions.some((action) => action.toLowerCase() === "kms:generatedatakey");
  const rebuilt = keyViaS3Statement(scope, resource[0] as string, region, readWrite);
  return rebuilt.Sid === statement.Sid ? { bucket: scope.bucket, statement: rebuilt } : null;
};

const sidPattern = (body: string) => new RegExp(`^${MANAGED_SID_PREFIX}${body}`);

export const BUCKET_POLICY_KINDS: ManagedKind[] = [
  { sid: sidPattern("(Read|ReadWrite)Objects"), rebuild: rebuildDatasetObjects },
  { sid: sidPattern("(Read|ReadWrite)List"), rebuild: rebuildDatasetList },
  { sid: new RegExp(`^${SID.denyInsecureTransport}$`), rebuild: rebuildDenyInsecureTransport },
  { sid: new RegExp(`^${SID.denyOtherKmsKey}$`), rebuild: rebuildDenyOtherKmsKey },
  { sid: new RegExp(`^${SID.denyOtherEncryption}$`), rebuild: rebuildDenyOtherEncryption },
  { sid: new RegExp(`^${SID.denyCustomerProvidedKeys}$`), rebuild: rebuildDenyCustomerProvidedKeys },
  { sid: sidPattern("RevokedSession"), rebuild: rebuildRevokedSession },
];

export const KEY_POLICY_KINDS: ManagedKind[] = [{ sid: sidPattern("(Read|ReadWrite)KeyUse"), rebuild: rebuildKeyUse }];

export const PERMISSION_SET_POLICY_KINDS: ManagedKind[] = [
  { sid: sidPattern("GetObjects"), rebuild: rebuildIdentityObjects(getObjectsStatement) },
  { sid: sidPattern("PutObjects"), rebuild: rebuildIdentityObjects(putObjectsStatement) },
  { sid: sidPattern("ListPrefixes"), rebuild: rebuildListPrefixes },
  { sid: sidPattern("KeyViaS3"), rebuild: rebuildKeyViaS3 },
];

/** Reads a live managed statement back with the kinds of one document. Returns null when no kind can read it. */
export function rebuildManagedStatement(
  statement: Record<string, unknown>,
  scope: BucketScope,
  kinds: ManagedKind[],
): RebuiltStatement | null {
  for (const kind of kinds) {
    if (typeof statement.Sid !== "string" || !kind.sid.test(statement.Sid)) continue;
    const rebuilt = kind.rebuild(statement, scope);
    if (rebuilt) return rebuilt;
  }
  return null;
}

export type ManagedKinds = ManagedKind[];
