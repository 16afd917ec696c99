"use server";

import { runAction, type ActionState } from "@/lib/actions/run-action";
import { retryGrantSchema } from "@/lib/workflow/schemas";
import { retryGrant } from "@/lib/workflow/grants";

export async function retryGrantAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  return runAction({
    name: "retryGrant",
    roles: ["DATA_OWNER"],
    schema: retryGrantSchema,
    input: form,
    run: async (actor, input) => {
      await retryGrant(actor, input);
      return "Provisioning queued again. It resumes at the step that failed.";
    },
    revalidate: ["/grants", "/requests"],
  });
}
