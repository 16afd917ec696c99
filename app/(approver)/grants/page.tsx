import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { AutoRefresh } from "@/components/auto-refresh";
import { StatusBadge } from "@/components/status-badge";
import { StepList } from "@/components/step-list";
import { retryGrantAction } from "@/lib/actions/retry-grant";
import { revokeGrantAction } from "@/lib/actions/revoke-grant";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { formatUtc } from "@/lib/format";

export const dynamic = "force-dynamic";

/** Tells that a step of a running change failed and the job will try it again. */
function RetryNotice({ grant }: { grant: { status: string; steps: { status: string; kind: string; attempts: number; error: string | null; operation: string }[] } }) {
  if (grant.status !== "PROVISIONING" && grant.status !== "REVOKING") return null;
  const operation = grant.status === "PROVISIONING" ? "PROVISION" : "DEPROVISION";
  const failed = grant.steps.find((step) => step.operation === operation && step.status === "FAILED");
  if (!failed) return null;
  return (
    <p className="mt-1 text-sm text-amber-800" role="status">
      Step {failed.kind.toLowerCase().replaceAll("_", " ")} failed on attempt {failed.attempts} and is retried automatically: {failed.error}
    </p>
  );
}

export default async function GrantsPage() {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  if (!actor.roles.includes("DATA_OWNER")) return <p>Only data owners can see and revoke grants.</p>;
  const grants = await getDb().grant.findMany({
    where: { dataset: { ownerAccountId: actor.accountId } },
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { dataset: true, person: true, steps: true },
  });
  const working = grants.some((grant) => ["PENDING", "PROVISIONING", "REVOKING"].includes(grant.status));
  return (
    <div>
      <h1 className="text-2xl font-semibold">Grants of your datasets</h1>
      <AutoRefresh enabled={working} />
      {grants.length === 0 && <p className="mt-6 text-slate-600">No grants yet.</p>}
      <div className="mt-6 space-y-4">
        {grants.map((grant) => (
          <section key={grant.id} className="rounded border border-slate-200 bg-white p-4" data-testid="grant-row">
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <StatusBadge status={grant.status} />
              <span className="font-medium">{grant.person.email}</span>
              <span>
                {grant.accessLevel === "READ" ? "read" : "read-write"} on {grant.dataset.name}
              </span>
              <span className="text-slate-600">permission set {grant.permissionSetName}</span>
              {grant.endedAt ? (
                <span className="text-slate-600">
                  {grant.endReason === "expired" ? "expired" : "revoked"} {formatUtc(grant.endedAt)}
                  {grant.endComment && <> — “{grant.endComment}”</>}
                </span>
              ) : (
                grant.endsAt && <span className="text-slate-600">ends {formatUtc(grant.endsAt)}</span>
              )}
              <Link className="text-sky-700 underline" href={`/approvals/${grant.requestId}`}>
                request
              </Link>
            </div>
            {grant.status === "FAILED" && grant.lastError && <p className="mt-1 text-sm text-red-700">{grant.lastError}</p>}
            <RetryNotice grant={grant} />
            <details className="mt-2">
              <summary className="cursor-pointer text-sm text-slate-600">Steps</summary>
              <StepList steps={grant.steps} />
            </details>
            {grant.status === "FAILED" && (
              <ActionForm action={retryGrantAction} submitLabel={grant.endReason ? "Retry removal" : "Retry provisioning"} className="mt-2">
                <input type="hidden" name="grantId" value={grant.id} />
                <p className="text-sm text-slate-600">
                  {grant.endReason
                    ? "Removing this grant failed part-way, so the person may still hold access. Fix the cause named above, then retry; the removal resumes at the step that failed."
                    : "Provisioning failed part-way, so the person may already hold part of the access. Fix the cause and retry, or revoke to remove what was applied."}
                </p>
              </ActionForm>
            )}
            {(grant.status === "ACTIVE" || (grant.status === "FAILED" && !grant.endReason)) && (
              <ActionForm
                action={revokeGrantAction}
                submitLabel="Revoke"
                className="mt-2"
                confirm={`Revoke ${grant.person.email}'s access to ${grant.dataset.name}? The assignment and the policy statements are removed now.`}
              >
                <input type="hidden" name="grantId" value={grant.id} />
                <label className="block text-sm">
                  Reason
                  <input name="comment" maxLength={1000} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
                </label>
              </ActionForm>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
