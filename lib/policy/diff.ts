import { canonicalStatement, documentFields, sameStatement, stableJson, statementList } from "./canonical";
import { isManagedSid } from "./names";
import type { PolicyDocument, Statement } from "./types";

export type StatementDiff =
  | { change: "added"; sid: string | null; managed: boolean; after: Statement }
  | { change: "removed"; sid: string | null; managed: boolean; before: Statement }
  | { change: "changed"; sid: string; managed: boolean; before: Statement; after: Statement; fields: string[] }
  | { change: "unchanged"; sid: string; managed: true; statement: Statement }
  /** A run of consecutive unchanged foreign statements, collapsed. */
  | { change: "unchanged"; managed: false; count: number; sids: (string | null)[] };

export interface PolicyDiff {
  document: "created" | "deleted" | "updated" | "unchanged" | "absent";
  /** Statement changes in the order of the new document; removed statements stand where they were. */
  statements: StatementDiff[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
  /** Document fields other than Statement (Version, Id) whose value changed. */
  fields: { name: string; before: unknown; after: unknown }[];
}

function sidOf(statement: Statement): string | null {
  return typeof statement.Sid === "string" && statement.Sid !== "" ? statement.Sid : null;
}

// Statements with a Sid are matched by Sid; statements without one by content.
function matchKey(statement: Statement): string {
  const sid = sidOf(statement);
  return sid !== null ? `sid:${sid}` : `content:${stableJson(canonicalStatement(statement))}`;
}

function changedFields(before: Statement, after: Statement): string[] {
  const canonicalBefore = canonicalStatement(before) as Record<string, unknown>;
  const canonicalAfter = canonicalStatement(after) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(canonicalBefore), ...Object.keys(canonicalAfter)])];
  return names.filter((name) => stableJson(canonicalBefore[name]) !== stableJson(canonicalAfter[name]));
}

type Entry = Exclude<StatementDiff, { managed: false; change: "unchanged" }> | { change: "unchanged"; foreign: Statement };

function collapse(entries: Entry[]): StatementDiff[] {
  const result: StatementDiff[] = [];
  for (const entry of entries) {
    if (!("foreign" in entry)) {
      result.push(entry);
      continue;
    }
    const last = result.at(-1);
    if (last && last.change === "unchanged" && !last.managed) {
      last.count += 1;
      last.sids.push(sidOf(entry.foreign));
    } else {
      result.push({ change: "unchanged", managed: false, count: 1, sids: [sidOf(entry.foreign)] });
    }
  }
  return result;
}

/**
 * Compares two versions of a policy statement by statement, for a data owner
 * to read: added, removed and changed statements, with unchanged foreign
 * statements collapsed. A null document is one that does not exist.
 */
export function diffPolicies(before: PolicyDocument | null, after: PolicyDocument | null): PolicyDiff {
  const beforeStatements = before ? statementList(before) : [];
  const afterStatements = after ? statementList(after) : [];

  const unmatched = new Map<string, number[]>();
  beforeStatements.forEach((statement, index) => {
    const key = matchKey(statement);
    unmatched.set(key, [...(unmatched.get(key) ?? []), index]);
  });

  const afterEntries: Entry[] = [];
  const afterIndexOfBefore = new Map<number, number>();
  afterStatements.forEach((statement, afterIndex) => {
    const candidates = unmatched.get(matchKey(statement));
    const beforeIndex = candidates?.shift();
    const sid = sidOf(statement);
    const managed = isManagedSid(sid);
    if (beforeIndex === undefined) {
      afterEntries.push({ change: "added", sid, managed, after: statement });
      return;
    }
    afterIndexOfBefore.set(beforeIndex, afterIndex);
    const previous = beforeStatements[beforeIndex] as Statement;
    if (!sameStatement(previous, statement)) {
      afterEntries.push({ change: "changed", sid: sid ?? "", managed, before: previous, after: statement, fields: changedFields(previous, statement) });
    } else if (managed && sid !== null) {
      afterEntries.push({ change: "unchanged", sid, managed: true, statement });
    } else {
      afterEntries.push({ change: "unchanged", foreign: statement });
    }
  });

  // Place each removed statement after the new position of the statement that preceded it.
  const removedAfter = new Map<number, Entry[]>();
  let anchor = -1;
  beforeStatements.forEach((statement, beforeIndex) => {
    const matched = afterIndexOfBefore.get(beforeIndex);
    if (matched !== undefined) {
      anchor = matched;
      return;
    }
    const sid = sidOf(statement);
    const entries = removedAfter.get(anchor) ?? [];
    entries.push({ change: "removed", sid, managed: isManagedSid(sid), before: statement });
    removedAfter.set(anchor, entries);
  });

  const ordered: Entry[] = [...(removedAfter.get(-1) ?? [])];
  afterEntries.forEach((entry, afterIndex) => ordered.push(entry, ...(removedAfter.get(afterIndex) ?? [])));
  const statements = collapse(ordered);

  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const entry of statements) {
    if (entry.change === "unchanged") counts.unchanged += entry.managed ? 1 : entry.count;
    else counts[entry.change] += 1;
  }

  const fields: PolicyDiff["fields"] = [];
  if (before && after) {
    const beforeFields = documentFields(before);
    const afterFields = documentFields(after);
    for (const name of new Set([...Object.keys(beforeFields), ...Object.keys(afterFields)])) {
      if (stableJson(beforeFields[name]) !== stableJson(afterFields[name])) {
        fields.push({ name, before: beforeFields[name], after: afterFields[name] });
      }
    }
  }

  let document: PolicyDiff["document"];
  if (!before && !after) document = "absent";
  else if (!before) document = "created";
  else if (!after) document = "deleted";
  else document = counts.added + counts.removed + counts.changed + fields.length === 0 ? "unchanged" : "updated";

  return { document, statements, counts, fields };
}
