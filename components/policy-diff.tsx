import type { DocumentSize, PolicyDiff, StatementDiff } from "@/lib/policy";

const CHANGE_STYLES: Record<StatementDiff["change"], string> = {
  added: "border-green-300 bg-green-50",
  removed: "border-red-300 bg-red-50",
  changed: "border-amber-300 bg-amber-50",
  unchanged: "border-slate-200 bg-slate-50",
};

function Json({ value }: { value: unknown }) {
  return <pre className="mt-1 overflow-x-auto whitespace-pre text-xs">{JSON.stringify(value, null, 2)}</pre>;
}

function StatementEntry({ entry }: { entry: StatementDiff }) {
  if (entry.change === "unchanged" && !entry.managed) {
    return (
      <li className={`rounded border p-2 text-xs text-slate-600 ${CHANGE_STYLES.unchanged}`}>
        {entry.count} statement{entry.count === 1 ? "" : "s"} not owned by the portal, unchanged: {entry.sids.map((sid) => sid ?? "(no Sid)").join(", ")}
      </li>
    );
  }
  const label = `${entry.change} · ${entry.sid ?? "(no Sid)"}${entry.managed ? "" : " · not owned by the portal"}`;
  return (
    <li className={`rounded border p-2 ${CHANGE_STYLES[entry.change]}`} data-testid={`statement-${entry.change}`}>
      <div className="text-xs font-medium">{label}</div>
      {entry.change === "added" && <Json value={entry.after} />}
      {entry.change === "removed" && <Json value={entry.before} />}
      {entry.change === "unchanged" && entry.managed && (
        <details>
          <summary className="cursor-pointer text-xs text-slate-600">show</summary>
          <Json value={entry.statement} />
        </details>
      )}
      {entry.change === "changed" && (
        <div className="grid grid-cols-2 gap-2">
          <div>
            <div className="text-xs text-slate-500">before (changed: {entry.fields.join(", ")})</div>
            <Json value={entry.before} />
          </div>
          <div>
            <div className="text-xs text-slate-500">after</div>
            <Json value={entry.after} />
          </div>
        </div>
      )}
    </li>
  );
}

/** Renders a statement-level before/after view of one policy document, with its size against the AWS limit. */
export function PolicyDiffView({ title, diff, size }: { title: string; diff: PolicyDiff; size: DocumentSize | null }) {
  return (
    <section className="rounded border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-medium">{title}</h3>
        <span className="text-xs text-slate-600">
          document {diff.document} · {diff.counts.added} added, {diff.counts.removed} removed, {diff.counts.changed} changed, {diff.counts.unchanged} unchanged
          {size && (
            <>
              {" "}
              · {size.bytes.toLocaleString("en")} of {size.limit.toLocaleString("en")} bytes
            </>
          )}
        </span>
      </div>
      <ul className="mt-2 space-y-2">
        {diff.statements.map((entry, index) => (
          <StatementEntry key={index} entry={entry} />
        ))}
      </ul>
    </section>
  );
}
