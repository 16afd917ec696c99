import type { ProofMatrix } from "@/lib/policy";

/** Renders the evaluated access matrix: for each principal and request, the expected and actual outcome and the deciding statements. */
export function ProofTable({ proof }: { proof: ProofMatrix }) {
  return (
    <section className="rounded border border-slate-200 bg-white p-4" data-testid="proof-table">
      <h3 className="font-medium">
        Proof of access{" "}
        <span className={proof.ok ? "text-green-700" : "text-red-700"}>{proof.ok ? "— every row as expected" : "— some rows are not as expected"}</span>
      </h3>
      <p className="text-xs text-slate-500">Evaluated with {proof.simulator} on the documents above.</p>
      <table className="mt-2 w-full text-xs">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="py-1">Principal</th>
            <th>Request</th>
            <th>Expected</th>
            <th>Result</th>
            <th>Decided by</th>
          </tr>
        </thead>
        <tbody>
          {proof.rows.map((row, index) => (
            <tr key={index} className={`border-t border-slate-100 align-top ${row.ok ? "" : "bg-red-50"}`}>
              <td className="py-1" title={row.principal.arn}>
                {row.principal.label}
              </td>
              <td>
                <span className="font-mono">{row.action}</span> {row.description}
              </td>
              <td>{row.expected}</td>
              <td className={row.ok ? "text-green-700" : "font-medium text-red-700"}>{row.actual}</td>
              <td className="font-mono">{row.decidedBy.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
