import { describe, expect, it } from "vitest";
import pg from "pg";
import { getDb } from "@/lib/db";
import { recordAudit, verifyAuditChain } from "@/lib/audit/log";

const db = getDb();

async function appendEvents(count: number, subjectId: string) {
  for (let index = 0; index < count; index += 1) {
    await db.$transaction((tx) => recordAudit(tx, { action: "request.created", actor: null, subjectType: "request", subjectId, data: { index, text: "=HYPERLINK(\"x\")" } }));
  }
}

describe("audit trail", () => {
  it("chains concurrent writers without gaps", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, index) => appendEvents(3, `concurrent-${index}`)));
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(true);
    expect(result.firstBrokenSequence).toBeNull();
    expect(result.checked).toBe(await db.auditEvent.count());
  });

  it("rejects UPDATE, DELETE and TRUNCATE", async () => {
    await appendEvents(1, "immutable");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await expect(client.query(`UPDATE "AuditEvent" SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it("names the first edited row", async () => {
    await appendEvents(2, "tampered");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      // A database owner can disable the trigger; the chain still shows the edit.
      const target = await db.auditEvent.findFirstOrThrow({ where: { subjectId: "tampered" }, orderBy: { sequence: "asc" } });
      const setData = async (json: string) => {
        await client.query("BEGIN");
        await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
        await client.query(`UPDATE "AuditEvent" SET data = $1::jsonb WHERE sequence = $2`, [json, target.sequence.toString()]);
        await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);
        await client.query("COMMIT");
      };
      await setData('{"index": 99}');
      const tampered = await verifyAuditChain(db);
      await setData(JSON.stringify(target.data));
      expect(tampered.ok).toBe(false);
      expect(tampered.firstBrokenSequence).toBe(target.sequence);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    } finally {
      await client.end();
    }
  });
});
