import Link from "next/link";
import { redirect } from "next/navigation";
import { StatusBadge } from "@/components/status-badge";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export const dynamic = "force-dynamic";

export default async function ApprovalsPage() {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  const stages: Prisma.AccessRequestWhereInput[] = [];
  if (actor.roles.includes("CONSUMER_APPROVER")) stages.push({ status: "PENDING_CONSUMER", dataset: { consumerAccountId: actor.accountId } });
  if (actor.roles.includes("DATA_OWNER")) stages.push({ status: "PENDING_OWNER", dataset: { ownerAccountId: actor.accountId } });
  if (stages.length === 0) return <p>Only consumer approvers and data owners have an approval queue.</p>;

  const requests = await getDb().accessRequest.findMany({
    where: { OR: stages, NOT: { approvals: { some: { approverId: actor.id } } } },
    orderBy: { createdAt: "asc" },
    include: { dataset: true, requester: true },
  });
  return (
    <div>
      <h1 className="text-2xl font-semibold">Requests waiting for you</h1>
      {requests.length === 0 && <p className="mt-6 text-slate-600">Nothing is waiting for your decision.</p>}
      <table className="mt-6 w-full bg-white text-sm">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="p-2">Requester</th>
            <th>Dataset</th>
            <th>Access</th>
            <th>Period</th>
            <th>Stage</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => (
            <tr key={request.id} className="border-t border-slate-100" data-testid="approval-row">
              <td className="p-2">
                <Link className="text-sky-700 underline" href={`/approvals/${request.id}`}>
                  {request.requester.email}
                </Link>
                {request.requesterId === actor.id && <span className="ml-2 text-xs text-slate-500">(your own request)</span>}
              </td>
              <td>{request.dataset.name}</td>
              <td>{request.accessLevel === "READ" ? "read" : "read-write"}</td>
              <td>{request.durationHours} h</td>
              <td>
                <StatusBadge status={request.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
