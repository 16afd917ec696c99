"use server";

import { runAction, type ActionState } from "@/lib/actions/run-action";
import { revokeGrantSchema } from "@/lib/workflow/schemas";
import { revokeGrant } from "@/lib/workflow/grants";

export async function revokeGrantAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  return runAction({
    name: "revokeGrant",
    roles: ["DATA_OWNER"],
    schema: revokeGrantSchema,
    input: form,
    run: async (actor, input) => {
      await revokeGrant(actor, input);
      return "Revoke started. The assignment and statements are being removed.";
    },
    revalidate: ["/grants", "/requests"],
  });
}
