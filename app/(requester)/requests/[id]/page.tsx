import { notFound, redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { AutoRefresh } from "@/components/auto-refresh";
import { StatusBadge } from "@/components/status-badge";
import { StepList } from "@/components/step-list";
import { UsageInstructions } from "@/components/usage-instructions";
import { cancelRequestAction } from "@/lib/actions/cancel-request";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { formatUtc } from "@/lib/format";

export const dynamic = "force-dynamic";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const request = await getDb().accessRequest.findUnique({
    where: { id },
    include: { dataset: { include: { consumerAccount: true } }, approvals: { include: { approver: true }, orderBy: { createdAt: "asc" } }, grant: { include: { steps: true } } },
  });
  // Other people's requests are hidden from requesters; approvers use the approval pages.
  if (!request || request.requesterId !== actor.id) notFound();
  const grant = request.grant;
  const working = request.status === "APPROVED" && (!grant || ["PENDING", "PROVISIONING", "REVOKING"].includes(grant.status));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">
          {request.dataset.name}: {request.accessLevel === "READ" ? "read" : "read-write"} for {request.durationHours} h
        </h1>
        <p className="mt-1 text-sm">
          Request <StatusBadge status={request.status} /> {grant && <>· Grant <StatusBadge status={grant.status} /></>}
        </p>
        <AutoRefresh enabled={working} />
      </div>
      <section className="rounded border border-slate-200 bg-white p-5">
        <h2 className="font-medium">Justification</h2>
        <p className="mt-1 whitespace-pre-wrap text-sm">{request.justification}</p>
        <h2 className="mt-4 font-medium">Approvals</h2>
        {request.approvals.length === 0 && <p className="text-sm text-slate-600">None yet.</p>}
        <ul className="text-sm">
          {request.approvals.map((approval) => (
            <li key={approval.id}>
              {approval.stage.toLowerCase()} stage: {approval.decision === "APPROVE" ? "approved" : "rejected"} by {approval.approver.name}
              {approval.comment && <> — “{approval.comment}”</>}
            </li>
          ))}
        </ul>
        {(request.status === "PENDING_CONSUMER" || request.status === "PENDING_OWNER") && (
          <ActionForm action={cancelRequestAction} submitLabel="Cancel request" className="mt-4" confirm="Cancel this request? Approvers will no longer see it.">
            <input type="hidden" name="requestId" value={request.id} />
          </ActionForm>
        )}
      </section>
      {grant && (
        <section className="rounded border border-slate-200 bg-white p-5">
          <h2 className="font-medium">Provisioning</h2>
          {grant.endsAt && !grant.endedAt && (
            <p className="text-sm text-slate-600">
              Active from {formatUtc(grant.startsAt)} to {formatUtc(grant.endsAt)}
            </p>
          )}
          {grant.endedAt && (
            <p className="text-sm text-slate-600">
              Active from {formatUtc(grant.startsAt)}, {grant.endReason === "expired" ? "expired" : "revoked"} at {formatUtc(grant.endedAt)}
              {grant.endComment && <> — “{grant.endComment}”</>}
            </p>
          )}
          {grant.lastError && <p className="mt-2 text-sm text-red-700">Last error: {grant.lastError}</p>}
          <StepList steps={grant.steps} />
        </section>
      )}
      {grant?.status === "ACTIVE" && (
        <UsageInstructions
          bucket={request.dataset.bucketName}
          prefix={request.dataset.prefix}
          region={request.dataset.bucketRegion}
          accountId={request.dataset.consumerAccountId}
          permissionSetName={grant.permissionSetName}
          readWrite={grant.accessLevel === "READ_WRITE"}
        />
      )}
    </div>
  );
}
