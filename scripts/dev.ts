// Starts the whole portal locally: Postgres (embedded unless DATABASE_URL is set),
// migrations and seed, the sandbox AWS, the background workers and Next.js.
//   npm run dev                      next dev on port 3000, data kept in .data/
//   tsx scripts/dev.ts --production  next start (run `next build` first)
//   --fresh                          start from an empty database and a reset sandbox
//   --port N                         web port
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    production: { type: "boolean", default: false },
    fresh: { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "3000" },
  },
});

const dataDir = path.join(process.cwd(), ".data");
await mkdir(dataDir, { recursive: true });
process.env.SANDBOX ??= "1";
process.env.SANDBOX_PORT ??= "4566";
process.env.LOG_LEVEL ??= "info";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

async function loadAuthSecret(): Promise<string> {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
process.env.AUTH_SECRET = await loadAuthSecret();

const { logger } = await import("@/lib/log");
const stops: (() => Promise<void> | void)[] = [];

if (!process.env.DATABASE_URL) {
  const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
  const embedded = await startEmbeddedPostgres({
    dataDir: args.fresh ? "memory://" : path.join(dataDir, "pglite"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 0),
  });
  process.env.DATABASE_URL = embedded.url;
  stops.push(async () => {
    // Close this process's own connections first, so they do not report the stop as errors.
    await (await import("@/lib/db")).getDb().$disconnect();
    await embedded.stop();
  });
  logger.info({ persistent: !args.fresh }, "embedded Postgres started");
}

const { applyMigrations } = await import("@/lib/db/migrate");
const applied = await applyMigrations(process.env.DATABASE_URL);
logger.info({ applied }, "migrations applied");
const { getDb } = await import("@/lib/db");
const { seedDatabase } = await import("@/lib/db/seed");
await seedDatabase(getDb());

if (process.env.SANDBOX === "1" && !process.env.AWS_ENDPOINT_URL) {
  const { startSandbox } = await import("@/sandbox/server");
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT),
    stateFile: path.join(dataDir, "sandbox-state.json"),
    fresh: args.fresh,
  });
  process.env.AWS_ENDPOINT_URL = sandbox.url;
  stops.push(() => sandbox.close());
  logger.info({ url: sandbox.url }, "sandbox AWS started");
}

const { startWorkers } = await import("@/lib/jobs/worker");
const stopSweep = await startWorkers({
  sweepSeconds: Number(process.env.EXPIRY_SWEEP_SECONDS ?? 30),
  pollingIntervalSeconds: Number(process.env.JOB_POLL_SECONDS ?? 0.5),
});
stops.push(stopSweep);
stops.push(async () => (await import("@/lib/jobs/queue")).stopBoss());

const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
const web = spawn(process.execPath, [nextBin, args.production ? "start" : "dev", "--port", args.port, "--hostname", "127.0.0.1"], {
  // No standard input: started in the background, `next dev` may exit when it reads EOF.
  stdio: ["ignore", "inherit", "inherit"],
  env: process.env,
});
stops.push(() => void web.kill("SIGTERM"));
logger.info(`Access Portal is starting: once Next.js reports "Ready", open http://localhost:${args.port}/signin and pick a seeded person`);

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error }, "shutdown step failed");
    }
  }
  process.exit(code);
}
web.on("exit", (code, signal) => {
  if (!stopping) logger.error({ code, signal }, "Next.js exited; stopping the portal");
  void shutdown(code ?? 1);
});
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));
