import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";

const dataDir = await mkdtemp(path.join(os.tmpdir(), "access-portal-pglite-"));

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe("embedded Postgres", () => {
  it("keeps data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    await withClient(first.url, async (client) => {
      await client.query("CREATE TABLE kept (value text)");
      await client.query("INSERT INTO kept VALUES ('survives')");
    });
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir });
    const rows = await withClient(second.url, async (client) => (await client.query<{ value: string }>("SELECT value FROM kept")).rows);
    await second.stop();
    expect(rows).toEqual([{ value: "survives" }]);
  });

  it("keeps concurrent extended queries apart", async () => {
    const server = await startEmbeddedPostgres({ dataDir: "memory://" });
    const pool = new pg.Pool({ connectionString: server.url, max: 8 });
    try {
      // Parameterized queries from several connections at once, some large enough to
      // arrive in several socket reads. Each must get the result of its own statement.
      // pglite-socket 0.2.17's own queue fails this, because it runs another
      // connection's Parse between a Parse and its Bind.
      const large = "x".repeat(200_000);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          index % 2 === 0
            ? pool.query<{ value: number }>("SELECT $1::int AS value, length($2::text) AS size", [index, large])
            : pool.query<{ value: number }>("SELECT $1::int + $2::int - $2::int AS value", [index, 7]),
        ),
      );
      expect(results.map((result) => result.rows[0]?.value)).toEqual(Array.from({ length: 40 }, (_, index) => index));
    } finally {
      await pool.end();
      await server.stop();
    }
  });
});
