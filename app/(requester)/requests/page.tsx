import Link from "next/link";
import { redirect } from "next/navigation";
import { StatusBadge } from "@/components/status-badge";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { formatUtc } from "@/lib/format";

export const dynamic = "force-dynamic";

export default async function MyRequestsPage() {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  const requests = await getDb().accessRequest.findMany({
    where: { requesterId: actor.id },
    orderBy: { createdAt: "desc" },
    include: { dataset: true, grant: true },
  });
  return (
    <div>
      <h1 className="text-2xl font-semibold">My requests</h1>
      {requests.length === 0 && <p className="mt-6 text-slate-600">No requests yet. Pick a dataset to ask for access.</p>}
      <table className="mt-6 w-full bg-white text-sm">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="p-2">Dataset</th>
            <th>Access</th>
            <th>Period</th>
            <th>Request</th>
            <th>Grant</th>
            <th>Submitted</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => (
            <tr key={request.id} className="border-t border-slate-100" data-testid="request-row">
              <td className="p-2">
                <Link className="text-sky-700 underline" href={`/requests/${request.id}`}>
                  {request.dataset.name}
                </Link>
              </td>
              <td>{request.accessLevel === "READ" ? "read" : "read-write"}</td>
              <td>{request.durationHours} h</td>
              <td>
                <StatusBadge status={request.status} />
              </td>
              <td>{request.grant ? <StatusBadge status={request.grant.status} /> : "—"}</td>
              <td>{formatUtc(request.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
