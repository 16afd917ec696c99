// Runs `prisma generate` without the native schema engine, which the Prisma CLI
// tries to download at start. Generation does not use that engine, so any
// existing file satisfies the check (see Prisma's PRISMA_SCHEMA_ENGINE_BINARY).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
