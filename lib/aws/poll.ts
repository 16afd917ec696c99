import { setTimeout as sleep } from "node:timers/promises";
import { AwsCallError, type AwsServiceName } from "./errors";

export interface PollOptions {
  /** First wait between status checks, in milliseconds. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Total time to wait, in milliseconds, before failing with PollTimeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface AsyncStatus {
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | string;
  failureReason?: string | undefined;
}

const BACKOFF_FACTOR = 1.5;

/**
 * Polls an asynchronous Identity Center request until it SUCCEEDED. The
 * wait starts at intervalMs and grows by half up to maxIntervalMs. Throws
 * AwsCallError with code RequestFailed on FAILED (with AWS's failure reason)
 * and PollTimeout after timeoutMs. Returns every status seen, in order.
 */
export async function pollUntilSucceeded(
  target: { service: AwsServiceName; operation: string; requestId: string },
  first: AsyncStatus,
  check: (signal?: AbortSignal) => Promise<AsyncStatus>,
  options: Required<Omit<PollOptions, "signal">> & Pick<PollOptions, "signal">,
): Promise<string[]> {
  const statuses = [first.status];
  const deadline = Date.now() + options.timeoutMs;
  let current = first;
  let wait = options.intervalMs;

  while (current.status !== "SUCCEEDED") {
    if (current.status === "FAILED") {
      throw new AwsCallError({
        service: target.service,
        operation: target.operation,
        code: "RequestFailed",
        message: `${target.operation} request ${target.requestId} failed: ${current.failureReason ?? "no failure reason given"}`,
        requestId: target.requestId,
        retryable: false,
      });
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new AwsCallError({
        service: target.service,
        operation: target.operation,
        code: "PollTimeout",
        message: `${target.operation} request ${target.requestId} was still ${current.status} after ${options.timeoutMs} ms`,
        requestId: target.requestId,
        retryable: true,
      });
    }
    try {
      await sleep(Math.min(wait, remaining), undefined, options.signal ? { signal: options.signal } : undefined);
    } catch (error) {
      // Surface the caller's abort reason rather than Node's generic AbortError.
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
    wait = Math.min(Math.round(wait * BACKOFF_FACTOR), options.maxIntervalMs);
    current = await check(options.signal);
    statuses.push(current.status);
  }
  return statuses;
}
