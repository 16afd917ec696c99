import { oneOrMany, uniqueSorted } from "./canonical";
import {
  MANAGED_SID_PREFIX,
  accountRootArn,
  bucketArn,
  levelWord,
  permissionSetRolePattern,
  prefixObjectsArn,
  s3ViaService,
  sidLabel,
  type AwsPartition,
} from "./names";
import type { AccessLevel, Statement } from "./types";

/** The bucket every generated statement of one plan refers to. */
export interface BucketScope {
  partition: AwsPartition;
  bucket: string;
}

/** A consumer account's permission set: who a statement lets in. */
export interface Holder {
  consumerAccountId: string;
  permissionSetName: string;
}

export const READ_OBJECT_ACTIONS = ["s3:GetObject"];
export const WRITE_OBJECT_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload"];
export const KEY_READ_ACTIONS = ["kms:Decrypt"];
// S3 calls GenerateDataKey on upload and Decrypt again for multipart uploads.
// It never calls kms:Encrypt for SSE-KMS.
export const KEY_WRITE_ACTIONS = ["kms:GenerateDataKey"];
const REVOKED_SESSION_ACTIONS = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListBucket", "s3:PutObject"];

export const SID = {
  denyInsecureTransport: `${MANAGED_SID_PREFIX}DenyInsecureTransport`,
  denyOtherKmsKey: `${MANAGED_SID_PREFIX}DenyOtherKmsKey`,
  denyOtherEncryption: `${MANAGED_SID_PREFIX}DenyOtherEncryption`,
  denyCustomerProvidedKeys: `${MANAGED_SID_PREFIX}DenyCustomerProvidedKeys`,
} as const;

function holderPrincipalAndCondition(partition: string, holders: Holder[]) {
  const roots = uniqueSorted(holders.map((holder) => accountRootArn(partition, holder.consumerAccountId)));
  const patterns = uniqueSorted(
    holders.map((holder) => permissionSetRolePattern(partition, holder.consumerAccountId, holder.permissionSetName)),
  );
  return { principal: { AWS: oneOrMany(roots) }, arnLike: { "aws:PrincipalArn": oneOrMany(patterns) } };
}

function listPrefixValues(prefixes: string[]): string[] {
  return prefixes.flatMap((prefix) => [prefix, `${prefix}*`]);
}

// ---- Bucket policy ----------------------------------------------------------

export function datasetObjectsStatement(scope: BucketScope, prefix: string, access: AccessLevel, holders: Holder[]): Statement {
  const { principal, arnLike } = holderPrincipalAndCondition(scope.partition.name, holders);
  const actions = access === "read" ? READ_OBJECT_ACTIONS : [...READ_OBJECT_ACTIONS, ...WRITE_OBJECT_ACTIONS];
  return {
    Sid: `${MANAGED_SID_PREFIX}${levelWord(access)}Objects${sidLabel(prefix)}`,
    Effect: "Allow",
    Principal: principal,
    Action: oneOrMany(actions),
    Resource: prefixObjectsArn(scope.partition.name, scope.bucket, prefix),
    Condition: { ArnLike: arnLike },
  };
}

export function datasetListStatement(scope: BucketScope, prefix: string, access: AccessLevel, holders: Holder[]): Statement {
  const { principal, arnLike } = holderPrincipalAndCondition(scope.partition.name, holders);
  return {
    Sid: `${MANAGED_SID_PREFIX}${levelWord(access)}List${sidLabel(prefix)}`,
    Effect: "Allow",
    Principal: principal,
    Action: "s3:ListBucket",
    Resource: bucketArn(scope.partition.name, scope.bucket),
    Condition: { StringLike: { "s3:prefix": listPrefixValues([prefix]) }, ArnLike: arnLike },
  };
}

/** Denies every S3 request over plain HTTP, listing included, on the bucket and each shared prefix. */
export function denyInsecureTransportStatement(scope: BucketScope, prefixes: string[]): Statement {
  return {
    Sid: SID.denyInsecureTransport,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [
      bucketArn(scope.partition.name, scope.bucket),
      ...prefixes.map((prefix) => prefixObjectsArn(scope.partition.name, scope.bucket, prefix)),
    ],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

// Negated operators such as StringNotEquals are true when the key is missing,
// so each upload deny also requires the header (Null false). An upload without
// encryption headers gets the bucket's default encryption, which is the key.
export function denyOtherKmsKeyStatement(scope: BucketScope, prefixes: string[], keyArn: string): Statement {
  const header = "s3:x-amz-server-side-encryption-aws-kms-key-id";
  return {
    Sid: SID.denyOtherKmsKey,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: oneOrMany(prefixes.map((prefix) => prefixObjectsArn(scope.partition.name, scope.bucket, prefix))),
    Condition: { StringNotEquals: { [header]: keyArn }, Null: { [header]: "false" } },
  };
}

export function denyOtherEncryptionStatement(scope: BucketScope, prefixes: string[]): Statement {
  const header = "s3:x-amz-server-side-encryption";
  return {
    Sid: SID.denyOtherEncryption,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: oneOrMany(prefixes.map((prefix) => prefixObjectsArn(scope.partition.name, scope.bucket, prefix))),
    Condition: { StringNotEquals: { [header]: "aws:kms" }, Null: { [header]: "false" } },
  };
}

/** SSE-C uploads carry no x-amz-server-side-encryption header, only the customer algorithm. */
export function denyCustomerProvidedKeysStatement(scope: BucketScope, prefixes: string[]): Statement {
  return {
    Sid: SID.denyCustomerProvidedKeys,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: oneOrMany(prefixes.map((prefix) => prefixObjectsArn(scope.partition.name, scope.bucket, prefix))),
    Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } },
  };
}

export interface RevokedSessionParameters extends Holder {
  userId: string;
  prefix: string;
  /** UTC time, second precision, "YYYY-MM-DDTHH:MM:SSZ". */
  issuedBefore: string;
}

/**
 * Denies the sessions a revoked person obtained before the revoke took effect.
 * StringLikeIfExists on s3:prefix keeps the person's listing of prefixes that
 * other grants give working, while object requests, which carry no s3:prefix,
 * are always covered.
 */
export function revokedSessionStatement(scope: BucketScope, revoked: RevokedSessionParameters): Statement {
  const partition = scope.partition.name;
  const identity = [revoked.userId, revoked.consumerAccountId, revoked.permissionSetName, revoked.prefix, revoked.issuedBefore].join("|");
  return {
    Sid: `${MANAGED_SID_PREFIX}RevokedSession${sidLabel(revoked.prefix, identity)}`,
    Effect: "Deny",
    Principal: "*",
    Action: REVOKED_SESSION_ACTIONS,
    Resource: [bucketArn(partition, scope.bucket), prefixObjectsArn(partition, scope.bucket, revoked.prefix)],
    Condition: {
      StringEquals: { "identitystore:UserId": revoked.userId },
      ArnLike: { "aws:PrincipalArn": permissionSetRolePattern(partition, revoked.consumerAccountId, revoked.permissionSetName) },
      DateLessThan: { "aws:TokenIssueTime": revoked.issuedBefore },
      StringLikeIfExists: { "s3:prefix": listPrefixValues([revoked.prefix]) },
    },
  };
}

// ---- Key policy -------------------------------------------------------------

/**
 * Lets one dataset's holders use the key through S3 for objects under the
 * prefix. With S3 Bucket Keys the encryption context of new objects is the
 * bucket ARN, so the bucket ARN is allowed too and only the bucket policy
 * limits the prefix.
 */
export function keyUseStatement(
  scope: BucketScope,
  region: string,
  prefix: string,
  access: AccessLevel,
  holders: Holder[],
  bucketKeyEnabled: boolean,
): Statement {
  const partition = scope.partition.name;
  const { principal, arnLike } = holderPrincipalAndCondition(partition, holders);
  const contexts = [prefixObjectsArn(partition, scope.bucket, prefix)];
  if (bucketKeyEnabled) contexts.push(bucketArn(partition, scope.bucket));
  return {
    Sid: `${MANAGED_SID_PREFIX}${levelWord(access)}KeyUse${sidLabel(prefix, `${scope.bucket}/${prefix}`)}`,
    Effect: "Allow",
    Principal: principal,
    Action: oneOrMany(access === "read" ? KEY_READ_ACTIONS : [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS]),
    Resource: "*",
    Condition: {
      ArnLike: arnLike,
      StringEquals: { "kms:ViaService": s3ViaService(region, scope.partition) },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": oneOrMany(contexts) },
    },
  };
}

// ---- Permission set inline policy -------------------------------------------

function bucketSidLabel(scope: BucketScope): string {
  return sidLabel(scope.bucket);
}

export function getObjectsStatement(scope: BucketScope, prefixes: string[]): Statement {
  return {
    Sid: `${MANAGED_SID_PREFIX}GetObjects${bucketSidLabel(scope)}`,
    Effect: "Allow",
    Action: oneOrMany(READ_OBJECT_ACTIONS),
    Resource: oneOrMany(prefixes.map((prefix) => prefixObjectsArn(scope.partition.name, scope.bucket, prefix))),
  };
}

export function putObjectsStatement(scope: BucketScope, prefixes: string[]): Statement {
  return {
    Sid: `${MANAGED_SID_PREFIX}PutObjects${bucketSidLabel(scope)}`,
    Effect: "Allow",
    Action: oneOrMany(WRITE_OBJECT_ACTIONS),
    Resource: oneOrMany(prefixes.map((prefix) => prefixObjectsArn(scope.partition.name, scope.bucket, prefix))),
  };
}

export function listPrefixesStatement(scope: BucketScope, prefixes: string[]): Statement {
  return {
    Sid: `${MANAGED_SID_PREFIX}ListPrefixes${bucketSidLabel(scope)}`,
    Effect: "Allow",
    Action: "s3:ListBucket",
    Resource: bucketArn(scope.partition.name, scope.bucket),
    Condition: { StringLike: { "s3:prefix": listPrefixValues(prefixes) } },
  };
}

/** Lets the role use the bucket's key, and only through S3 in the bucket's Region. */
export function keyViaS3Statement(scope: BucketScope, keyArn: string, region: string, readWrite: boolean): Statement {
  return {
    Sid: `${MANAGED_SID_PREFIX}KeyViaS3${bucketSidLabel(scope)}`,
    Effect: "Allow",
    Action: oneOrMany(readWrite ? [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS] : KEY_READ_ACTIONS),
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": s3ViaService(region, scope.partition) } },
  };
}
