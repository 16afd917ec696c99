import { uniqueSorted } from "./canonical";
import { PolicyValidationError } from "./errors";
import { partitionOfKeyArn } from "./names";
import { formatFieldPath, KMS_KEY_ARN_PATTERN, planInputSchema } from "./schemas";
import type { BucketScope, Holder, RevokedSessionParameters } from "./statements";
import type { PlanInput, PolicyDocument } from "./types";

export interface NormalizedDataset {
  prefix: string;
  read: Holder[];
  readWrite: Holder[];
}

/** Plan input after validation, deduplicated and sorted so that input order never changes the output. */
export interface NormalizedInput {
  scope: BucketScope;
  region: string;
  ownerAccountId: string;
  keyArn: string;
  bucketKeyEnabled: boolean;
  bucketPolicy: PolicyDocument | string | null;
  keyPolicy: PolicyDocument | string;
  datasets: NormalizedDataset[];
  revokedSessions: RevokedSessionParameters[];
  livePermissionSetPolicies: Record<string, PolicyDocument | string | null>;
  replaceEditedStatements: boolean;
  warnings: string[];
}

/** Compares by UTF-16 code units, so the order does not depend on the locale. */
function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}

function holderKey(holder: Holder): string {
  return `${holder.consumerAccountId}|${holder.permissionSetName}`;
}

export function uniqueHolders(holders: Holder[]): Holder[] {
  const byKey = new Map<string, Holder>();
  for (const holder of holders) {
    byKey.set(holderKey(holder), { consumerAccountId: holder.consumerAccountId, permissionSetName: holder.permissionSetName });
  }
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as Holder);
}

/** Rounds an ISO time up to the next whole second, in UTC: "2026-12-04T10:15:01Z". */
function utcSecond(isoTime: string): string {
  const milliseconds = Math.ceil(Date.parse(isoTime) / 1000) * 1000;
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Validates plan input and throws PolicyValidationError naming the first invalid field. */
export function normalizePlanInput(input: unknown): NormalizedInput {
  const result = planInputSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PolicyValidationError(formatFieldPath(issue?.path ?? []), issue?.message ?? "is invalid");
  }
  const parsed = result.data as PlanInput;
  const warnings: string[] = [];

  const keyMatch = KMS_KEY_ARN_PATTERN.exec(parsed.key.arn);
  const [, , keyRegion, keyAccount] = keyMatch ?? [];
  if (keyAccount !== parsed.bucket.accountId) {
    throw new PolicyValidationError(
      "key.arn",
      `must be a key of the bucket's account ${parsed.bucket.accountId}, but names account ${keyAccount}. S3 cannot use another account's key as the bucket default`,
    );
  }
  if (keyRegion !== parsed.bucket.region) {
    throw new PolicyValidationError(
      "key.arn",
      `must be in the bucket's Region ${parsed.bucket.region}, but is in ${keyRegion}. For a multi-Region key, name the replica in ${parsed.bucket.region}`,
    );
  }

  const seenPrefixes = new Map<string, number>();
  parsed.datasets.forEach((dataset, index) => {
    const first = seenPrefixes.get(dataset.prefix);
    if (first !== undefined) {
      throw new PolicyValidationError(`datasets[${index}].prefix`, `"${dataset.prefix}" is already the prefix of datasets[${first}]. Merge their grants into one dataset`);
    }
    seenPrefixes.set(dataset.prefix, index);
  });

  const datasets: NormalizedDataset[] = parsed.datasets
    .map((dataset) => ({
      prefix: dataset.prefix,
      read: uniqueHolders(dataset.grants.filter((grant) => grant.access === "read")),
      readWrite: uniqueHolders(dataset.grants.filter((grant) => grant.access === "read-write")),
    }))
    .sort((left, right) => compareText(left.prefix, right.prefix));

  warnings.push(...datasetWarnings(datasets));

  const revokedByKey = new Map<string, RevokedSessionParameters>();
  for (const revoked of parsed.revokedSessions ?? []) {
    const normalized: RevokedSessionParameters = {
      userId: revoked.userId,
      consumerAccountId: revoked.consumerAccountId,
      permissionSetName: revoked.permissionSetName,
      prefix: revoked.prefix,
      issuedBefore: utcSecond(revoked.issuedBefore),
    };
    revokedByKey.set(JSON.stringify([normalized.prefix, normalized.consumerAccountId, normalized.permissionSetName, normalized.userId, normalized.issuedBefore]), normalized);
  }

  return {
    scope: { partition: partitionOfKeyArn(parsed.key.arn), bucket: parsed.bucket.name },
    region: parsed.bucket.region,
    ownerAccountId: parsed.bucket.accountId,
    keyArn: parsed.key.arn,
    bucketKeyEnabled: parsed.bucket.bucketKeyEnabled,
    bucketPolicy: parsed.bucket.policy,
    keyPolicy: parsed.key.policy,
    datasets,
    revokedSessions: [...revokedByKey.keys()].sort().map((key) => revokedByKey.get(key) as RevokedSessionParameters),
    livePermissionSetPolicies: parsed.livePermissionSetPolicies ?? {},
    replaceEditedStatements: parsed.replaceEditedStatements ?? false,
    warnings,
  };
}

function datasetWarnings(datasets: NormalizedDataset[]): string[] {
  const warnings: string[] = [];
  const active = datasets.filter((dataset) => dataset.read.length + dataset.readWrite.length > 0);

  for (const outer of active) {
    for (const inner of active) {
      if (inner !== outer && inner.prefix.startsWith(outer.prefix)) {
        warnings.push(`datasets "${outer.prefix}" and "${inner.prefix}" overlap: grants on "${outer.prefix}" also cover "${inner.prefix}"`);
      }
    }
  }

  for (const dataset of active) {
    const readWriteKeys = new Set(dataset.readWrite.map(holderKey));
    for (const holder of dataset.read.filter((candidate) => readWriteKeys.has(holderKey(candidate)))) {
      warnings.push(
        `permission set ${holder.permissionSetName} of account ${holder.consumerAccountId} holds both read and read-write on "${dataset.prefix}", so its role can read and write there`,
      );
    }
  }

  // An account assignment gives a person the whole permission set, so every
  // dataset that set reaches comes with it.
  const prefixesByHolder = new Map<string, string[]>();
  for (const dataset of active) {
    for (const holder of uniqueHolders([...dataset.read, ...dataset.readWrite])) {
      const prefixes = prefixesByHolder.get(holderKey(holder)) ?? [];
      prefixes.push(dataset.prefix);
      prefixesByHolder.set(holderKey(holder), prefixes);
    }
  }
  for (const [key, prefixes] of prefixesByHolder) {
    if (prefixes.length < 2) continue;
    const [account, name] = key.split("|");
    warnings.push(
      `permission set ${name} of account ${account} reaches ${prefixes.length} datasets (${uniqueSorted(prefixes).map((prefix) => `"${prefix}"`).join(", ")}), so everyone assigned it gets all of them`,
    );
  }
  return warnings;
}
