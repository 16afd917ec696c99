import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { requireActor, type Actor } from "@/lib/auth/actor";
import { AppError, isAppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { logger } from "@/lib/log";

export type ActionState =
  | { status: "idle" }
  | { status: "ok"; message: string }
  | { status: "error"; message: string; field?: string; errorId?: string };

export const IDLE: ActionState = { status: "idle" };

function formToObject(form: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(form instanceof FormData)) return form;
  const values: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("$ACTION")) values[key] = typeof value === "string" ? value : undefined;
  }
  return values;
}

/**
 * The shape of every server action: authorize the caller by role, validate the
 * input, run one domain function, revalidate. Only AppError messages reach the
 * user; anything else is logged and reported with an error id.
 */
export async function runAction<Schema extends z.ZodType>(options: {
  name: string;
  roles: readonly Role[];
  schema: Schema;
  input: FormData | Record<string, unknown>;
  run: (actor: Actor, input: z.infer<Schema>) => Promise<string>;
  revalidate: string[];
}): Promise<ActionState> {
  const log = logger.child({ action: options.name });
  try {
    const actor = await requireActor(options.roles);
    const parsed = options.schema.safeParse(formToObject(options.input));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join(".") || undefined;
      throw new AppError("INVALID_INPUT", issue?.message ?? "Invalid input.", { field });
    }
    const message = await options.run(actor, parsed.data);
    for (const path of options.revalidate) revalidatePath(path);
    log.info({ personId: actor.id }, "action succeeded");
    return { status: "ok", message };
  } catch (error) {
    if (isAppError(error)) {
      log.info({ code: error.code, field: error.field }, "action rejected");
      return { status: "error", message: error.message, field: error.field };
    }
    const errorId = randomUUID();
    log.error({ err: error, errorId }, "action failed");
    return { status: "error", message: `Something went wrong. Error id: ${errorId}.`, errorId };
  }
}
