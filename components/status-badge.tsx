const COLORS: Record<string, string> = {
  PENDING_CONSUMER: "bg-amber-100 text-amber-900",
  PENDING_OWNER: "bg-amber-100 text-amber-900",
  APPROVED: "bg-sky-100 text-sky-900",
  REJECTED: "bg-red-100 text-red-900",
  CANCELLED: "bg-slate-200 text-slate-700",
  PENDING: "bg-slate-200 text-slate-700",
  PROVISIONING: "bg-sky-100 text-sky-900",
  RUNNING: "bg-sky-100 text-sky-900",
  ACTIVE: "bg-green-100 text-green-900",
  SUCCEEDED: "bg-green-100 text-green-900",
  REVOKING: "bg-amber-100 text-amber-900",
  EXPIRED: "bg-slate-200 text-slate-700",
  REVOKED: "bg-slate-200 text-slate-700",
  FAILED: "bg-red-100 text-red-900",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="status" className={`rounded px-2 py-0.5 text-xs font-medium ${COLORS[status] ?? "bg-slate-100"}`}>
      {status.toLowerCase().replaceAll("_", " ")}
    </span>
  );
}
