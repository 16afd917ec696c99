"use server";

import { runAction, type ActionState } from "@/lib/actions/run-action";
import { registerDatasetSchema } from "@/lib/workflow/schemas";
import { registerDataset } from "@/lib/workflow/datasets";

export async function registerDatasetAction(_previous: ActionState, form: FormData): Promise<ActionState> {
  return runAction({
    name: "registerDataset",
    roles: ["ADMINISTRATOR"],
    schema: registerDatasetSchema,
    input: form,
    run: async (actor, input) => {
      const dataset = await registerDataset(actor, input);
      return `Dataset ${dataset.name} registered.`;
    },
    revalidate: ["/admin/datasets", "/datasets"],
  });
}
