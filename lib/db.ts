import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function createClient(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start the portal with `npm run dev` (embedded Postgres) or set DATABASE_URL to a Postgres server.",
    );
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

// One client per process, kept on globalThis so that Next's hot reload does not
// open a new pool on every edit.
const globalForDb = globalThis as unknown as { accessPortalDb?: PrismaClient };

export function getDb(): PrismaClient {
  globalForDb.accessPortalDb ??= createClient();
  return globalForDb.accessPortalDb;
}
