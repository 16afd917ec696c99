import type { AwsContext } from "./context";
import { toAwsCallError, type AwsServiceName } from "./errors";

export interface CallOptions {
  /** Cancels the HTTP request and any polling in progress. */
  signal?: AbortSignal;
}

interface SdkOutput {
  $metadata: { requestId?: string };
}

/**
 * Runs one SDK call, logs it, and converts failures into AwsCallError.
 * Returns the output with its AWS request ID.
 */
export async function callAws<Output extends SdkOutput>(
  context: AwsContext,
  service: AwsServiceName,
  operation: string,
  send: (options: { abortSignal?: AbortSignal }) => Promise<Output>,
  options: CallOptions = {},
): Promise<{ output: Output; requestId: string }> {
  const started = Date.now();
  try {
    const output = await send(options.signal ? { abortSignal: options.signal } : {});
    const requestId = output.$metadata.requestId ?? "";
    context.log?.debug({ service, operation, requestId, durationMs: Date.now() - started }, "AWS call succeeded");
    return { output, requestId };
  } catch (error) {
    // A cancelled call is the caller's decision, not an AWS failure.
    if (options.signal?.aborted) throw error;
    const failure = toAwsCallError(service, operation, error);
    context.log?.warn(
      { service, operation, code: failure.code, requestId: failure.requestId, retryable: failure.retryable },
      "AWS call failed",
    );
    throw failure;
  }
}
