import pino from "pino";
import { startSandbox } from "./server";

// Runs the sandbox from the command line: `npx tsx sandbox/main.ts [--fresh]`.
// Configuration: SANDBOX_PORT, SANDBOX_STATE_FILE, SANDBOX_ASYNC_DELAY_MS, SANDBOX_LOG_LEVEL.
const logger = pino({ name: "sandbox", level: process.env.SANDBOX_LOG_LEVEL ?? "info" });

try {
  const sandbox = await startSandbox({ logger, fresh: process.argv.includes("--fresh") });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping sandbox");
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "sandbox did not close cleanly");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  logger.error({ err: error }, "sandbox failed to start");
  process.exit(1);
}
