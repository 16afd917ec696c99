import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { verifyAuditChain } from "@/lib/audit/log";
import { AUDIT_ACTIONS } from "@/lib/audit/events";
import { auditFilterSchema } from "@/lib/workflow/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";

export const dynamic = "force-dynamic";

function summarize(data: unknown): string {
  const text = JSON.stringify(data);
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  if (!actor.roles.includes("COMPLIANCE_REVIEWER")) return <p>Only compliance reviewers can read the audit trail.</p>;
  const parsed = auditFilterSchema.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : {};
  const where: Prisma.AuditEventWhereInput = {};
  if (filters.action) where.action = filters.action;
  // The table shows the first characters of each id, so a prefix is enough.
  if (filters.subjectId) where.subjectId = { startsWith: filters.subjectId };
  if (filters.actorEmail) where.actorEmail = { contains: filters.actorEmail, mode: "insensitive" };
  if (filters.from || filters.to) {
    where.occurredAt = {
      ...(filters.from ? { gte: new Date(`${filters.from}T00:00:00Z`) } : {}),
      ...(filters.to ? { lt: new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
    };
  }
  const db = getDb();
  const [events, chain] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: { sequence: "desc" }, take: 500 }),
    verifyAuditChain(db),
  ]);

  return (
    <div>
      <h1 className="text-2xl font-semibold">Audit trail</h1>
      <p className={`mt-2 text-sm ${chain.ok ? "text-green-700" : "text-red-700"}`} data-testid="chain-status">
        {chain.ok
          ? `Hash chain intact: ${chain.checked} events verified.`
          : `Hash chain broken at event ${chain.firstBrokenSequence}: ${chain.reason}.`}
      </p>
      {!parsed.success && <p className="text-sm text-red-700">Invalid filter: {parsed.error.issues[0]?.message}</p>}
      <form className="mt-4 flex flex-wrap items-end gap-3 text-sm" method="get">
        <label>
          Action
          <select name="action" defaultValue={filters.action ?? ""} className="mt-1 block rounded border border-slate-300 px-2 py-1">
            <option value="">any</option>
            {Object.keys(AUDIT_ACTIONS).map((action) => (
              <option key={action}>{action}</option>
            ))}
          </select>
        </label>
        <label>
          Actor email contains
          <input name="actorEmail" defaultValue={filters.actorEmail} className="mt-1 block rounded border border-slate-300 px-2 py-1" />
        </label>
        <label>
          Subject id
          <input name="subjectId" defaultValue={filters.subjectId} className="mt-1 block w-80 rounded border border-slate-300 px-2 py-1" />
        </label>
        <label>
          From
          <input type="date" name="from" defaultValue={filters.from} className="mt-1 block rounded border border-slate-300 px-2 py-1" />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={filters.to} className="mt-1 block rounded border border-slate-300 px-2 py-1" />
        </label>
        <button className="rounded bg-slate-900 px-3 py-1.5 text-white">Filter</button>
      </form>
      <table className="mt-6 w-full bg-white text-xs" data-testid="audit-table">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="p-2">#</th>
            <th>Time (UTC)</th>
            <th>Action</th>
            <th>Actor</th>
            <th>Subject</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.sequence.toString()} className="border-t border-slate-100 align-top" data-testid="audit-row">
              <td className="p-2">{event.sequence.toString()}</td>
              <td className="whitespace-nowrap">{event.occurredAt.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td className="font-mono">{event.action}</td>
              <td>{event.actorEmail ?? "system"}</td>
              <td className="font-mono">
                {event.subjectType} {event.subjectId.slice(0, 8)}
              </td>
              <td className="break-all font-mono text-slate-600">
                <details>
                  <summary className="cursor-pointer">{summarize(event.data)}</summary>
                  <pre className="mt-1 whitespace-pre-wrap">{JSON.stringify(event.data, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
