"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/run-action";

/** A form bound to a server action, showing its pending state and its result. */
export function ActionForm(props: {
  action: (previous: ActionState, form: FormData) => Promise<ActionState>;
  children: React.ReactNode;
  submitLabel: string;
  className?: string;
  testId?: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, { status: "idle" } as ActionState);
  return (
    <form action={formAction} className={props.className} data-testid={props.testId}>
      {props.children}
      <div className="mt-3 flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700 disabled:opacity-50"
        >
          {pending ? "Working…" : props.submitLabel}
        </button>
        {state.status === "ok" && (
          <p role="status" className="text-sm text-green-700">
            {state.message}
          </p>
        )}
        {state.status === "error" && (
          <p role="alert" className="text-sm text-red-700">
            {state.field ? <span className="font-mono">{state.field}: </span> : null}
            {state.message}
          </p>
        )}
      </div>
    </form>
  );
}
