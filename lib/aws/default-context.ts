import pino from "pino";
import { loadAwsConfig } from "./config";
import { createAwsContext, type AwsContext } from "./context";

let shared: AwsContext | null = null;

/**
 * Returns the process-wide AWS context, built from environment variables on
 * first use (see loadAwsConfig). Tests should call createAwsContext instead.
 */
export function getAwsContext(): AwsContext {
  shared ??= createAwsContext(loadAwsConfig(process.env), {
    logger: pino({ name: "aws", level: process.env.LOG_LEVEL ?? "info" }),
  });
  return shared;
}
