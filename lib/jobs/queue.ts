import PgBoss from "pg-boss";
import type { Tx } from "@/lib/db";
import { logger } from "@/lib/log";

/** Provision or deprovision one grant. Jobs of one bucket run one at a time (see `singletonKey`). */
export const GRANT_CHANGE_QUEUE = "grant-change";
/** Finds grants past their end time and queues their deprovisioning. */
export const EXPIRY_SWEEP_QUEUE = "grant-expiry-sweep";

export interface GrantChangeJob {
  grantId: string;
  /** "remove-session-deny" drops an ended grant's revoked-session deny once its sessions have expired. */
  operation: "provision" | "deprovision" | "remove-session-deny";
}

const globalForBoss = globalThis as unknown as { accessPortalBoss?: Promise<PgBoss> };

async function startBoss(): Promise<PgBoss> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set, so the job queue cannot start.");
  const boss = new PgBoss({ connectionString, max: 4 });
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  // "singleton" lets one job per singleton key be active at a time: every change of one
  // bucket's and key's policies is a read-modify-write, so two must never interleave.
  await boss.createQueue(GRANT_CHANGE_QUEUE, {
    name: GRANT_CHANGE_QUEUE,
    policy: "singleton",
    retryLimit: 3,
    retryDelay: Number(process.env.JOB_RETRY_DELAY_SECONDS ?? 5),
    retryBackoff: true,
    // A job whose worker died stays active until it expires and is then retried. So
    // this bounds how long a restart delays a grant, while provisioning takes seconds.
    expireInSeconds: 5 * 60,
  });
  await boss.createQueue(EXPIRY_SWEEP_QUEUE, { name: EXPIRY_SWEEP_QUEUE, policy: "short" });
  return boss;
}

export function getBoss(): Promise<PgBoss> {
  globalForBoss.accessPortalBoss ??= startBoss().catch((error: unknown) => {
    globalForBoss.accessPortalBoss = undefined;
    throw error;
  });
  return globalForBoss.accessPortalBoss;
}

/**
 * Queues a grant change inside the caller's transaction, so the job exists exactly
 * when the state change that needs it commits. Get `boss` before the transaction
 * opens: starting the queue inside it would wait on the transaction's own
 * connection with the embedded Postgres, which runs one connection at a time.
 */
export async function enqueueGrantChange(boss: PgBoss, tx: Tx, job: GrantChangeJob, bucketName: string, startAfter?: Date): Promise<void> {
  await boss.send(GRANT_CHANGE_QUEUE, job, {
    singletonKey: `bucket:${bucketName}`,
    ...(startAfter ? { startAfter } : {}),
    db: {
      executeSql: async (text, values) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }),
    },
  });
}

export async function stopBoss(): Promise<void> {
  const pending = globalForBoss.accessPortalBoss;
  globalForBoss.accessPortalBoss = undefined;
  if (pending) await (await pending).stop({ graceful: true, wait: true });
}
