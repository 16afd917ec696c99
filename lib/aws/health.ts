import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { callAws } from "./call";
import type { AwsContext } from "./context";
import { AwsCallError } from "./errors";

export interface EndpointCheck {
  service: "sts";
  account: "owner" | "consumer";
  accountId: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function checkAccount(
  context: AwsContext,
  account: "owner" | "consumer",
  accountId: string,
  sts: STSClient,
  timeoutMs: number,
): Promise<EndpointCheck> {
  const started = Date.now();
  const result = (ok: boolean, error?: string): EndpointCheck => ({
    service: "sts",
    account,
    accountId,
    ok,
    latencyMs: Date.now() - started,
    ...(error ? { error } : {}),
  });
  try {
    const { output } = await callAws(
      context,
      "sts",
      "GetCallerIdentity",
      (sendOptions) => sts.send(new GetCallerIdentityCommand({}), sendOptions),
      { signal: AbortSignal.timeout(timeoutMs) },
    );
    if (output.Account !== accountId) {
      return result(false, `credentials act in account ${output.Account ?? "unknown"}, expected ${accountId}`);
    }
    return result(true);
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const message =
      error instanceof AwsCallError ? error.message : timedOut ? `no response within ${timeoutMs} ms` : String(error);
    return result(false, message);
  }
}

/**
 * Checks that each account is reachable with its role: STS GetCallerIdentity
 * through the assumed role must return the configured account ID.
 */
export async function checkEndpoints(context: AwsContext, timeoutMs = 5000): Promise<EndpointCheck[]> {
  return Promise.all([
    checkAccount(context, "owner", context.owner.accountId, context.owner.sts, timeoutMs),
    checkAccount(context, "consumer", context.consumer.accountId, context.consumer.sts, timeoutMs),
  ]);
}
