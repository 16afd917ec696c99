import type PgBoss from "pg-boss";
import { logger } from "@/lib/log";
import { EXPIRY_SWEEP_QUEUE, GRANT_CHANGE_QUEUE, getBoss, type GrantChangeJob } from "@/lib/jobs/queue";
import { runGrantChange } from "@/lib/workflow/provision";
import { expireDueGrants } from "@/lib/workflow/grants";

/**
 * Starts the background workers in this process: grant changes, and an expiry sweep
 * every `sweepSeconds`. Returns a function that stops the sweep timer.
 */
export async function startWorkers(options: { sweepSeconds: number; pollingIntervalSeconds: number }): Promise<() => void> {
  const boss = await getBoss();
  await boss.work<GrantChangeJob>(
    GRANT_CHANGE_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
    async ([job]: PgBoss.JobWithMetadata<GrantChangeJob>[]) => {
      if (!job) return;
      const log = logger.child({ jobId: job.id, grantId: job.data.grantId, operation: job.data.operation, attempt: job.retryCount + 1 });
      log.info("grant change started");
      await runGrantChange(job.data, { finalAttempt: job.retryCount >= job.retryLimit });
    },
  );
  await boss.work(EXPIRY_SWEEP_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds }, async () => {
    const count = await expireDueGrants();
    if (count > 0) logger.info({ count }, "expired grants queued for deprovisioning");
  });
  const timer = setInterval(() => {
    boss.send(EXPIRY_SWEEP_QUEUE, {}, { singletonKey: "sweep" }).catch((error: unknown) => logger.error({ err: error }, "could not queue the expiry sweep"));
  }, options.sweepSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
