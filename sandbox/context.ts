import type { Logger } from "pino";
import type { z } from "zod";
import type { Principal } from "./identity";
import { ServiceError } from "./protocol";
import type { StateStore } from "./state";

export interface SandboxSettings {
  /** How long Identity Center's asynchronous requests stay IN_PROGRESS, in milliseconds. */
  asyncDelayMs: number;
}

/** Context of one AWS call, passed to its service handler. */
export interface CallContext {
  requestId: string;
  principal: Principal;
  /** Region of the request's SigV4 credential scope. */
  region: string;
  store: StateStore;
  now: Date;
  settings: SandboxSettings;
  log: Logger;
}

export type JsonHandler = (input: Record<string, unknown>, context: CallContext) => unknown;

/** Validates a JSON request body; a mismatch becomes the service's validation error. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  code = "ValidationException",
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join(".") || "input";
  throw new ServiceError(code, `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${issue?.message ?? "invalid"}`);
}

/** JSON protocol timestamps are epoch seconds. */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
