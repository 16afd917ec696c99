import { stableJson, sameStatement } from "./canonical";
import { PolicyValidationError } from "./errors";
import { isManagedSid, MANAGED_SID_PREFIX, bucketArn } from "./names";
import { rebuildManagedStatement, type ManagedKinds } from "./rebuild";
import type { BucketScope } from "./statements";
import type { PolicyDocument, Statement } from "./types";

/** A live policy document after parsing, before anything is changed. */
export interface LiveDocument {
  /** The parsed document with its fields in their original order. */
  raw: Record<string, unknown>;
  statements: Record<string, unknown>[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Parses a live policy as read from AWS. A document that is not valid JSON or
 * not a policy is rejected with the field named, never replaced.
 */
export function parseLivePolicy(value: PolicyDocument | string | null, field: string, documentName: string): LiveDocument | null {
  if (value === null) return null;
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PolicyValidationError(
        field,
        `the live ${documentName} is not valid JSON (${reason}). Fix it in AWS before the portal changes it`,
        "invalid-live-policy",
      );
    }
  }
  if (!isPlainObject(parsed)) {
    throw new PolicyValidationError(field, `the live ${documentName} is not a JSON object`, "invalid-live-policy");
  }
  let statements: unknown[] = [];
  if (Array.isArray(parsed.Statement)) statements = parsed.Statement;
  else if (parsed.Statement !== undefined) statements = [parsed.Statement];
  statements.forEach((item, index) => {
    if (!isPlainObject(item)) {
      throw new PolicyValidationError(
        `${field}.Statement[${index}]`,
        `the live ${documentName} has a statement that is not a JSON object`,
        "invalid-live-policy",
      );
    }
  });
  return { raw: parsed, statements: statements as Record<string, unknown>[] };
}

export interface MergeOptions {
  /** Input field of the live document, for error messages: "bucket.policy". */
  field: string;
  documentName: string;
  scope: BucketScope;
  kinds: ManagedKinds;
  /**
   * True for documents that other buckets' plans also write (key policies,
   * permission set policies): there, managed statements of other buckets are kept.
   */
  shared: boolean;
  replaceEdited: boolean;
  /** Returns a reason to keep a statement even though its Sid is managed. */
  mustKeep?: (statement: Record<string, unknown>) => string | null;
}

export interface MergeResult {
  document: PolicyDocument | null;
  warnings: string[];
}

function mentionsBucket(statement: Record<string, unknown>, scope: BucketScope): boolean {
  const arn = bucketArn(scope.partition.name, scope.bucket);
  const text = JSON.stringify(statement);
  return text.includes(`"${arn}"`) || text.includes(`"${arn}/`);
}

/**
 * Replaces the managed statements of one bucket in a live document with the
 * generated ones. Every other statement is kept exactly and in its order; the
 * generated statements follow them. Returns null when no statement is left.
 */
export function mergeDocument(live: LiveDocument | null, generated: Statement[], options: MergeOptions): MergeResult {
  const warnings: string[] = [];
  const kept: Record<string, unknown>[] = [];
  const generatedSids = new Set(generated.map((statement) => statement.Sid));

  (live?.statements ?? []).forEach((statement, index) => {
    const sid = statement.Sid;
    if (!isManagedSid(sid)) {
      kept.push(statement);
      return;
    }
    const keepReason = options.mustKeep?.(statement);
    if (keepReason) {
      warnings.push(`${options.documentName}: statement "${sid}" was kept although its Sid starts with ${MANAGED_SID_PREFIX}, because ${keepReason}`);
      kept.push(statement);
      return;
    }

    const rebuilt = rebuildManagedStatement(statement, options.scope, options.kinds);
    if (rebuilt && rebuilt.bucket !== options.scope.bucket && options.shared) {
      kept.push(statement);
      return;
    }
    if (!rebuilt && options.shared && !mentionsBucket(statement, options.scope) && !generatedSids.has(sid)) {
      warnings.push(
        `${options.documentName}: statement "${sid}" has the portal's Sid prefix but was not written for bucket ${options.scope.bucket}, so it is kept unchanged`,
      );
      kept.push(statement);
      return;
    }

    // NOTE: an edit that turns the statement into one the generator builds for
    // other grants (a prefix or consumer removed from every place it appears)
    // reads back as an older portal write, and is replaced without a report.
    const edited = !rebuilt || rebuilt.bucket !== options.scope.bucket || !sameStatement(rebuilt.statement, statement);
    if (!edited) return;
    if (!options.replaceEdited) {
      throw new PolicyValidationError(
        `${options.field}.Statement[${index}]`,
        `statement "${sid}" of the live ${options.documentName} differs from what the portal wrote, so it was probably edited by hand. ` +
          `Restore it, or give it a Sid that does not start with ${MANAGED_SID_PREFIX} to keep it, or plan with replaceEditedStatements to overwrite it.`,
        "edited-managed-statement",
      );
    }
    warnings.push(`${options.documentName}: statement "${sid}" was edited by hand and is replaced`);
  });

  const keptSids = new Set(kept.map((statement) => statement.Sid).filter((sid) => typeof sid === "string"));
  for (const statement of generated) {
    if (statement.Sid !== undefined && keptSids.has(statement.Sid)) {
      throw new PolicyValidationError(
        options.field,
        `the live ${options.documentName} already has a statement with Sid "${statement.Sid}", which the portal needs. Rename that statement in AWS`,
        "invalid-live-policy",
      );
    }
  }

  const statements = [...(kept as unknown as Statement[]), ...generated];
  if (statements.length === 0) return { document: null, warnings };
  if (!live) return { document: { Version: "2012-10-17", Statement: statements }, warnings };

  warnings.push(...checkVersion(live, options));
  const document: Record<string, unknown> = { Version: "2012-10-17" };
  for (const [name, value] of Object.entries(live.raw)) {
    if (name !== "Version") document[name] = value;
  }
  document.Statement = statements;
  return { document: document as unknown as PolicyDocument, warnings };
}

// A missing Version means 2008-10-17, under which "${...}" is literal text.
// Upgrading is safe only while no kept statement contains "${".
function checkVersion(live: LiveDocument, options: MergeOptions): string[] {
  const version = live.raw.Version;
  if (version === "2012-10-17") return [];
  if (version !== undefined && version !== "2008-10-17") {
    throw new PolicyValidationError(`${options.field}.Version`, `the live ${options.documentName} has unknown Version ${JSON.stringify(version)}`, "invalid-live-policy");
  }
  if (live.statements.some((statement) => !isManagedSid(statement.Sid) && stableJson(statement).includes("${"))) {
    throw new PolicyValidationError(
      `${options.field}.Version`,
      `the live ${options.documentName} uses Version ${String(version ?? "2008-10-17 (missing)")} and a statement contains "\${", which would become a policy variable under 2012-10-17. Update it in AWS first`,
      "invalid-live-policy",
    );
  }
  return [`${options.documentName}: Version ${String(version ?? "(missing)")} is changed to 2012-10-17`];
}
