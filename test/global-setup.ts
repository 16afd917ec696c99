// Starts what the integration tests share: Postgres (embedded unless DATABASE_URL
// is set), migrations, the seed and one sandbox AWS on a random port.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

async function createFreshDatabase(url: string, suffix: string): Promise<string> {
  const target = new URL(url);
  const name = `${target.pathname.slice(1)}_${suffix}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  target.pathname = `/${name}`;
  return target.toString();
}

export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = [];
  if (process.env.DATABASE_URL) {
    // A database of its own on the same server, so that the browser tests, which use
    // DATABASE_URL itself, start from the seed alone.
    process.env.DATABASE_URL = await createFreshDatabase(process.env.DATABASE_URL, "integration");
  } else {
    const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    process.env.DATABASE_URL = embedded.url;
    stops.push(() => embedded.stop());
  }
  const { applyMigrations } = await import("@/lib/db/migrate");
  await applyMigrations(process.env.DATABASE_URL);
  const { getDb } = await import("@/lib/db");
  const { seedDatabase } = await import("@/lib/db/seed");
  await seedDatabase(getDb());

  const { startSandbox } = await import("@/sandbox/server");
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "access-portal-sandbox-"));
  const sandbox = await startSandbox({ port: 0, stateFile: path.join(stateDir, "state.json"), fresh: true });
  stops.push(() => sandbox.close());

  project.provide("databaseUrl", process.env.DATABASE_URL);
  project.provide("sandboxUrl", sandbox.url);

  return async () => {
    await getDb().$disconnect();
    for (const stop of stops.reverse()) await stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    sandboxUrl: string;
  }
}
