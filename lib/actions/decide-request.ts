"use server";

import { runAction, type ActionState } from "@/lib/actions/run-action";
import { decideRequestSchema } from "@/lib/workflow/schemas";
import { decideAccessRequest } from "@/lib/workflow/requests";

const MESSAGES: Record<string, string> = {
  REJECTED: "Request rejected.",
  PENDING_OWNER: "Approved. The request now waits for the data owner.",
  APPROVED: "Approved. Provisioning has started.",
};

export async function decideRequestAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  return runAction({
    name: "decideRequest",
    roles: ["CONSUMER_APPROVER", "DATA_OWNER"],
    schema: decideRequestSchema,
    input: form,
    run: async (actor, input) => {
      const result = await decideAccessRequest(actor, input);
      return MESSAGES[result.status] ?? "Approval recorded; more approvals are needed.";
    },
    revalidate: ["/approvals", "/requests", "/grants"],
  });
}
