"use server";

import { runAction, type ActionState } from "@/lib/actions/run-action";
import { createRequestSchema } from "@/lib/workflow/schemas";
import { createAccessRequest } from "@/lib/workflow/requests";

export async function createRequestAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  return runAction({
    name: "createRequest",
    roles: ["REQUESTER"],
    schema: createRequestSchema,
    input: form,
    run: async (actor, input) => {
      await createAccessRequest(actor, input);
      return "Request submitted. It now waits for the consumer approver.";
    },
    revalidate: ["/requests", "/approvals"],
  });
}
