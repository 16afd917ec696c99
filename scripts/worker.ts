// Runs the background workers (provisioning, expiry) until SIGINT or SIGTERM.
import { logger } from "@/lib/log";
import { startWorkers } from "@/lib/jobs/worker";
import { stopBoss } from "@/lib/jobs/queue";

const sweepSeconds = Number(process.env.EXPIRY_SWEEP_SECONDS ?? 30);
const pollingIntervalSeconds = Number(process.env.JOB_POLL_SECONDS ?? 1);
const stopSweep = await startWorkers({ sweepSeconds, pollingIntervalSeconds });
logger.info({ sweepSeconds, pollingIntervalSeconds }, "worker started");

async function shutdown(signal: string) {
  logger.info({ signal }, "worker stopping");
  stopSweep();
  await stopBoss();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
