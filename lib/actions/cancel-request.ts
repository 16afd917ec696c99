"use server";

import { runAction, type ActionState } from "@/lib/actions/run-action";
import { cancelRequestSchema } from "@/lib/workflow/schemas";
import { cancelAccessRequest } from "@/lib/workflow/requests";

export async function cancelRequestAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  return runAction({
    name: "cancelRequest",
    roles: ["REQUESTER"],
    schema: cancelRequestSchema,
    input: form,
    run: async (actor, input) => {
      await cancelAccessRequest(actor, input);
      return "Request cancelled.";
    },
    revalidate: ["/requests", "/approvals"],
  });
}
