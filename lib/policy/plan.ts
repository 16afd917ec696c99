import { sameDocument } from "./canonical";
import { PolicyValidationError } from "./errors";
import { normalizePlanInput, uniqueHolders, type NormalizedInput } from "./input";
import { mergeDocument, parseLivePolicy, type LiveDocument } from "./merge";
import { isKeyAdministrativeStatement, ownerCanPutKeyPolicy } from "./ownership";
import {
  assertWithinLimit,
  BUCKET_POLICY_LIMIT_BYTES,
  KEY_POLICY_LIMIT_BYTES,
  measureDocument,
  measureInlinePolicy,
} from "./sizes";
import { BUCKET_POLICY_KINDS, KEY_POLICY_KINDS, PERMISSION_SET_POLICY_KINDS } from "./rebuild";
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
} from "./statements";
import type { AccessLevel, DocumentChange, PlanInput, PlanResult, PolicyDocument, Statement } from "./types";

const LEVELS: { access: AccessLevel; holders: "read" | "readWrite" }[] = [
  { access: "read", holders: "read" },
  { access: "read-write", holders: "readWrite" },
];

function activeDatasets(input: NormalizedInput) {
  return input.datasets.filter((dataset) => dataset.read.length + dataset.readWrite.length > 0);
}

export function generateBucketStatements(input: NormalizedInput): Statement[] {
  const datasets = activeDatasets(input);
  const statements: Statement[] = [];
  if (datasets.length > 0) {
    statements.push(denyInsecureTransportStatement(input.scope, datasets.map((dataset) => dataset.prefix)));
  }
  for (const dataset of datasets) {
    for (const level of LEVELS) {
      const holders = dataset[level.holders];
      if (holders.length === 0) continue;
      statements.push(datasetObjectsStatement(input.scope, dataset.prefix, level.access, holders));
      statements.push(datasetListStatement(input.scope, dataset.prefix, level.access, holders));
    }
  }
  const writablePrefixes = datasets.filter((dataset) => dataset.readWrite.length > 0).map((dataset) => dataset.prefix);
  if (writablePrefixes.length > 0) {
    statements.push(denyOtherKmsKeyStatement(input.scope, writablePrefixes, input.keyArn));
    statements.push(denyOtherEncryptionStatement(input.scope, writablePrefixes));
    statements.push(denyCustomerProvidedKeysStatement(input.scope, writablePrefixes));
  }
  for (const revoked of input.revokedSessions) statements.push(revokedSessionStatement(input.scope, revoked));
  return statements;
}

export function generateKeyStatements(input: NormalizedInput): Statement[] {
  const statements: Statement[] = [];
  for (const dataset of activeDatasets(input)) {
    for (const level of LEVELS) {
      const holders = dataset[level.holders];
      if (holders.length === 0) continue;
      statements.push(keyUseStatement(input.scope, input.region, dataset.prefix, level.access, holders, input.bucketKeyEnabled));
    }
  }
  return statements;
}

/** Generates each permission set's statements for this bucket: the union of every dataset and level it holds. */
export function generatePermissionSetStatements(input: NormalizedInput): Map<string, Statement[]> {
  const prefixesBySet = new Map<string, { all: string[]; writable: string[] }>();
  for (const dataset of activeDatasets(input)) {
    for (const level of LEVELS) {
      for (const holder of uniqueHolders(dataset[level.holders])) {
        const entry = prefixesBySet.get(holder.permissionSetName) ?? { all: [], writable: [] };
        if (!entry.all.includes(dataset.prefix)) entry.all.push(dataset.prefix);
        if (level.access === "read-write" && !entry.writable.includes(dataset.prefix)) entry.writable.push(dataset.prefix);
        prefixesBySet.set(holder.permissionSetName, entry);
      }
    }
  }

  const result = new Map<string, Statement[]>();
  for (const name of [...prefixesBySet.keys()].sort()) {
    const { all, writable } = prefixesBySet.get(name) as { all: string[]; writable: string[] };
    const statements = [getObjectsStatement(input.scope, all)];
    if (writable.length > 0) statements.push(putObjectsStatement(input.scope, writable));
    statements.push(listPrefixesStatement(input.scope, all));
    statements.push(keyViaS3Statement(input.scope, input.keyArn, input.region, writable.length > 0));
    result.set(name, statements);
  }
  return result;
}

function change(live: LiveDocument | null, result: PolicyDocument | null): DocumentChange {
  if (live === null) return result === null ? "none" : "create";
  if (result === null) return "delete";
  return sameDocument(live.raw as unknown as PolicyDocument, result) ? "none" : "update";
}

/**
 * Plans the bucket policy, key policy and permission set inline policies for
 * one bucket's datasets and their active grants, merged into the live
 * documents. Pure: reads nothing and writes nothing.
 *
 * Throws PolicyValidationError for invalid input, a live document that cannot
 * be merged safely, a plan that would lock the owner out of the key, and any
 * document over its size limit.
 */
export function planPolicies(rawInput: PlanInput): PlanResult {
  const input = normalizePlanInput(rawInput);
  const warnings = [...input.warnings];
  const mergeBase = { scope: input.scope, replaceEdited: input.replaceEditedStatements };

  const liveBucket = parseLivePolicy(input.bucketPolicy, "bucket.policy", "bucket policy");
  const bucket = mergeDocument(liveBucket, generateBucketStatements(input), {
    ...mergeBase,
    field: "bucket.policy",
    documentName: "bucket policy",
    kinds: BUCKET_POLICY_KINDS,
    shared: false,
  });
  warnings.push(...bucket.warnings);

  const liveKey = parseLivePolicy(input.keyPolicy, "key.policy", "key policy");
  const key = mergeDocument(liveKey, generateKeyStatements(input), {
    ...mergeBase,
    field: "key.policy",
    documentName: "key policy",
    kinds: KEY_POLICY_KINDS,
    shared: true,
    mustKeep: (statement) =>
      isKeyAdministrativeStatement(statement, input.ownerAccountId) ? "it is the owner account's administrative statement" : null,
  });
  warnings.push(...key.warnings);
  const keyPolicy = key.document;
  if (keyPolicy === null || !ownerCanPutKeyPolicy(keyPolicy, input.ownerAccountId, input.keyArn)) {
    throw new PolicyValidationError(
      "key.policy",
      `the key policy would leave owner account ${input.ownerAccountId} without kms:PutKeyPolicy (no Allow without conditions for it, or a Deny takes it away), which locks the owner out of the key. Restore the administrative statement first`,
      "owner-lockout",
    );
  }
  const statements = keyPolicy.Statement as unknown as Record<string, unknown>[];
  if (!statements.some((statement) => isKeyAdministrativeStatement(statement, input.ownerAccountId))) {
    warnings.push(`key policy: no statement allows account ${input.ownerAccountId}'s root kms:* without conditions, but the owner keeps kms:PutKeyPolicy through another statement`);
  }

  const permissionSetPolicies: Record<string, PolicyDocument> = {};
  const deletedPermissionSetPolicies: string[] = [];
  const permissionSetChanges: Record<string, DocumentChange> = {};
  const generatedSets = generatePermissionSetStatements(input);
  const names = [...new Set([...generatedSets.keys(), ...Object.keys(input.livePermissionSetPolicies)])].sort();
  for (const name of names) {
    const field = `livePermissionSetPolicies.${name}`;
    const documentName = `inline policy of permission set ${name}`;
    const live = parseLivePolicy(input.livePermissionSetPolicies[name] ?? null, field, documentName);
    const merged = mergeDocument(live, generatedSets.get(name) ?? [], {
      ...mergeBase,
      field,
      documentName,
      kinds: PERMISSION_SET_POLICY_KINDS,
      shared: true,
    });
    warnings.push(...merged.warnings);
    if (merged.document) permissionSetPolicies[name] = merged.document;
    else if (live) deletedPermissionSetPolicies.push(name);
    permissionSetChanges[name] = change(live, merged.document);
  }

  const sizes: PlanResult["sizes"] = {
    bucketPolicy: bucket.document ? measureDocument(bucket.document, BUCKET_POLICY_LIMIT_BYTES) : null,
    keyPolicy: measureDocument(keyPolicy, KEY_POLICY_LIMIT_BYTES),
    permissionSetPolicies: {},
  };
  if (sizes.bucketPolicy) assertWithinLimit("bucket.policy", "bucket policy", sizes.bucketPolicy.bytes, sizes.bucketPolicy.limit);
  assertWithinLimit("key.policy", "key policy", sizes.keyPolicy.bytes, sizes.keyPolicy.limit);
  for (const [name, document] of Object.entries(permissionSetPolicies)) {
    const size = measureInlinePolicy(document);
    sizes.permissionSetPolicies[name] = size;
    const field = `permissionSetPolicies.${name}`;
    const documentName = `inline policy of permission set ${name}`;
    assertWithinLimit(field, documentName, size.bytesWithoutWhitespace, size.limitWithoutWhitespace, "bytes without white space");
    assertWithinLimit(field, documentName, size.bytes, size.limit);
  }

  if (input.bucketKeyEnabled && activeDatasets(input).length > 0) {
    warnings.push(
      "S3 Bucket Keys are on: the key policy also allows the bucket ARN as encryption context, so only the bucket policy limits key use to the prefix",
    );
  }

  return {
    bucketPolicy: bucket.document,
    keyPolicy,
    permissionSetPolicies,
    deletedPermissionSetPolicies,
    warnings,
    sizes,
    changes: {
      bucketPolicy: change(liveBucket, bucket.document),
      keyPolicy: change(liveKey, keyPolicy),
      permissionSetPolicies: permissionSetChanges,
    },
  };
}

/** The documents a proof evaluates: planned ones, or live ones read back from AWS. */
export type ProvableDocuments = Pick<PlanResult, "bucketPolicy" | "keyPolicy" | "permissionSetPolicies">;

/**
 * Returns the live documents of the input unchanged, to prove what AWS
 * stores now (after provisioning, or for policies written by hand).
 */
export function liveDocuments(rawInput: PlanInput): ProvableDocuments {
  const input = normalizePlanInput(rawInput);
  const asDocument = (live: LiveDocument | null) =>
    live ? ({ ...live.raw, Statement: live.statements } as unknown as PolicyDocument) : null;
  const keyPolicy = asDocument(parseLivePolicy(input.keyPolicy, "key.policy", "key policy"));
  if (!keyPolicy) throw new PolicyValidationError("key.policy", "is missing");
  const permissionSetPolicies: Record<string, PolicyDocument> = {};
  for (const [name, value] of Object.entries(input.livePermissionSetPolicies)) {
    const document = asDocument(parseLivePolicy(value, `livePermissionSetPolicies.${name}`, `inline policy of permission set ${name}`));
    if (document) permissionSetPolicies[name] = document;
  }
  return {
    bucketPolicy: asDocument(parseLivePolicy(input.bucketPolicy, "bucket.policy", "bucket policy")),
    keyPolicy,
    permissionSetPolicies,
  };
}
