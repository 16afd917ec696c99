import { notFound, redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { PolicyDiffView } from "@/components/policy-diff";
import { ProofTable } from "@/components/proof-table";
import { StatusBadge } from "@/components/status-badge";
import { decideRequestAction } from "@/lib/actions/decide-request";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { formatUtc } from "@/lib/format";
import { previewRequest } from "@/lib/workflow/preview";

export const dynamic = "force-dynamic";

export default async function ApprovalPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const request = await getDb().accessRequest.findUnique({
    where: { id },
    include: { dataset: true, requester: true, approvals: { include: { approver: true } } },
  });
  if (!request) notFound();
  const mayConsumer = actor.roles.includes("CONSUMER_APPROVER") && actor.accountId === request.dataset.consumerAccountId;
  const mayOwner = actor.roles.includes("DATA_OWNER") && actor.accountId === request.dataset.ownerAccountId;
  if (!mayConsumer && !mayOwner) notFound();

  const open = request.status === "PENDING_CONSUMER" || request.status === "PENDING_OWNER";
  // The plan is only meaningful while the request can still change the policies.
  const preview = open ? await previewRequest(request.id) : null;
  const ownRequest = request.requesterId === actor.id;
  const myDecision = request.approvals.find((approval) => approval.approverId === actor.id);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">
          {request.requester.name} asks for {request.accessLevel === "READ" ? "read" : "read-write"} on {request.dataset.name}
        </h1>
        <p className="mt-1 text-sm">
          <StatusBadge status={request.status} /> · {request.durationHours} hours · s3://{request.dataset.bucketName}/{request.dataset.prefix}
        </p>
      </div>
      <section className="rounded border border-slate-200 bg-white p-5">
        <h2 className="font-medium">Justification</h2>
        <p className="mt-1 whitespace-pre-wrap text-sm">{request.justification}</p>
        <h2 className="mt-4 font-medium">Decisions so far</h2>
        <ul className="text-sm">
          {request.approvals.map((approval) => (
            <li key={approval.id}>
              {approval.stage.toLowerCase()}: {approval.decision.toLowerCase()} by {approval.approver.name} {approval.comment && `— “${approval.comment}”`}
            </li>
          ))}
          {request.approvals.length === 0 && <li className="text-slate-600">None yet.</li>}
        </ul>
      </section>
      {open && ownRequest && <p className="rounded bg-amber-50 p-3 text-sm">This is your own request, so you cannot decide on it.</p>}
      {open && !ownRequest && !myDecision && (
        <ActionForm action={decideRequestAction} submitLabel="Submit decision" className="rounded border border-slate-200 bg-white p-5" testId="decision-form">
          <p className="mb-2 text-sm text-slate-600">Read the policy change and the proof of access below before you decide.</p>
          {preview && !("error" in preview) && (
            <p className={`mb-2 text-sm ${preview.proof.ok ? "text-green-700" : "text-red-700"}`} data-testid="proof-summary">
              Proof of access: {preview.proof.rows.filter((row) => row.ok).length} of {preview.proof.rows.length} checks as expected.
            </p>
          )}
          <input type="hidden" name="requestId" value={request.id} />
          <fieldset className="flex gap-4 text-sm">
            <label>
              <input type="radio" name="decision" value="APPROVE" /> Approve
            </label>
            <label>
              <input type="radio" name="decision" value="REJECT" /> Reject
            </label>
          </fieldset>
          <label className="mt-3 block text-sm">
            Comment (required to reject)
            <textarea name="comment" rows={2} maxLength={1000} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
          </label>
        </ActionForm>
      )}
      {preview && "error" in preview && (
        <p className="rounded bg-red-50 p-3 text-sm text-red-800" role="alert">
          The policy change cannot be planned: {preview.error}
        </p>
      )}
      {preview && !("error" in preview) && (
        <section className="space-y-4" data-testid="policy-preview">
          <h2 className="text-lg font-medium">What approval changes</h2>
          <PolicyDiffView title={`Bucket policy of ${request.dataset.bucketName}`} diff={preview.bucketDiff} size={preview.sizes.bucket} />
          <PolicyDiffView title="Key policy" diff={preview.keyDiff} size={preview.sizes.key} />
          <PolicyDiffView title={`Permission set ${preview.permissionSetName} (inline policy)`} diff={preview.permissionSetDiff} size={preview.sizes.permissionSet} />
          {preview.warnings.length > 0 && (
            <ul className="list-disc pl-6 text-sm text-amber-800">
              {preview.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          <ProofTable proof={preview.proof} />
        </section>
      )}
      {myDecision && (
        <p role="status" data-testid="your-decision" className="rounded bg-green-50 p-3 text-sm text-green-900">
          You {myDecision.decision === "APPROVE" ? "approved" : "rejected"} this request at {formatUtc(myDecision.createdAt)}. The
          request is now {request.status.toLowerCase().replaceAll("_", " ")}.
        </p>
      )}
    </div>
  );
}
