"use client";

import { startTransition, useActionState, useRef } from "react";
import type { ActionState } from "@/lib/actions/run-action";

/** Form labels of the fields whose validation messages do not name the field themselves. */
const FIELD_LABELS: Record<string, string> = {
  prefix: "Folder (prefix)",
  bucketName: "Bucket",
  bucketRegion: "Bucket Region",
  kmsKeyArn: "KMS key ARN",
  consumerAccountId: "Consumer account",
  maxDurationHours: "Maximum period",
  readPermissionSetName: "Permission set for read",
  readWritePermissionSetName: "Permission set for read-write",
  sessionDurationHours: "Session duration",
  comment: "Comment",
};

function errorText(state: Extract<ActionState, { status: "error" }>): string {
  // Messages of the shared validators start in lower case ("must end with /") and
  // need the field's label in front; the portal's own messages name the field.
  const startsLowerCase = /^[a-z]/.test(state.message);
  if (!state.field || !startsLowerCase) return state.message;
  return `${FIELD_LABELS[state.field] ?? state.field} ${state.message}`;
}

/**
 * A form bound to a server action, showing its pending state and its result. The
 * fields keep what was typed when the action returns an error, and are cleared when
 * it succeeds. With `confirm`, the browser shows a confirmation dialog before the action runs.
 */
export function ActionForm(props: {
  action: (previous: ActionState, form: FormData) => Promise<ActionState>;
  children: React.ReactNode;
  submitLabel: string;
  className?: string;
  testId?: string;
  confirm?: string;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState(async (previous: ActionState, data: FormData) => {
    const result = await props.action(previous, data);
    if (result.status === "ok") formRef.current?.reset();
    return result;
  }, { status: "idle" } as ActionState);

  // React resets a form after its `action` runs, which would erase the input of a
  // rejected submission; submitting through onSubmit keeps it.
  function handleSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (props.confirm && !window.confirm(props.confirm)) return;
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  }

  return (
    <form ref={formRef} onSubmit={handleSubmit} className={props.className} data-testid={props.testId}>
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
            {errorText(state)}
          </p>
        )}
      </div>
    </form>
  );
}
