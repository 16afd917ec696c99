import { createHash } from "node:crypto";
import type { Tx } from "@/lib/db";
import type { Db } from "@/lib/db";
import type { AuditAction } from "@/lib/audit/events";

export const GENESIS_HASH = "0".repeat(64);

// Any constant works: every writer of the audit chain takes this lock.
const AUDIT_CHAIN_LOCK_ID = 5_318_008;

export interface AuditInput {
  action: AuditAction;
  actor: { id: string; email: string } | null;
  subjectType: "request" | "grant" | "dataset" | "person" | "audit";
  subjectId: string;
  data?: Record<string, unknown>;
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Serializes a JSON value with object keys sorted at every level, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null)) as JsonValue));
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const sorted: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key] as JsonValue);
    return sorted;
  }
  return value;
}

interface HashedContent {
  sequence: bigint;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  subjectType: string;
  subjectId: string;
  data: unknown;
}

export function hashEvent(prevHash: string, event: HashedContent): string {
  const content = canonicalJson({
    sequence: event.sequence.toString(),
    occurredAt: event.occurredAt.toISOString(),
    action: event.action,
    actorId: event.actorId,
    actorEmail: event.actorEmail,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    data: event.data,
  });
  return createHash("sha256").update(prevHash).update("\n").update(content).digest("hex");
}

/**
 * Appends one event to the hash chain. Call it inside the transaction of the change
 * it records, so that both commit or neither does. The advisory lock serializes
 * writers until that transaction ends, which keeps the chain linear.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_ID})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { sequence: "desc" }, select: { sequence: true, hash: true } });
  const event: HashedContent = {
    sequence: (last?.sequence ?? 0n) + 1n,
    occurredAt: new Date(),
    action: input.action,
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? null,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    data: JSON.parse(canonicalJson(input.data ?? {})),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.auditEvent.create({
    data: { ...event, data: event.data as object, prevHash, hash: hashEvent(prevHash, event) },
  });
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenSequence: bigint | null;
  reason: string | null;
}

/** Recomputes the chain from the first event and names the first row whose hash or link is wrong. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSequence = 1n;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { sequence: { gte: expectedSequence } },
      orderBy: { sequence: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) return { ok: true, checked, firstBrokenSequence: null, reason: null };
    for (const row of rows) {
      if (row.sequence !== expectedSequence) {
        return { ok: false, checked, firstBrokenSequence: expectedSequence, reason: `event ${expectedSequence} is missing` };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, firstBrokenSequence: row.sequence, reason: "previous-hash link does not match" };
      }
      if (hashEvent(prevHash, row) !== row.hash) {
        return { ok: false, checked, firstBrokenSequence: row.sequence, reason: "content does not match its hash" };
      }
      prevHash = row.hash;
      expectedSequence += 1n;
      checked += 1;
    }
  }
}
