import { StatusBadge } from "@/components/status-badge";
import { STEP_LABELS } from "@/lib/workflow/steps";
import type { ProvisioningStep } from "@/lib/generated/prisma/client";

export function StepList({ steps }: { steps: ProvisioningStep[] }) {
  // Provisioning steps first, then removal steps, each in the order they run.
  const operationOrder = { PROVISION: 0, DEPROVISION: 1 };
  const sorted = [...steps].sort((a, b) => operationOrder[a.operation] - operationOrder[b.operation] || a.position - b.position);
  return (
    <table className="mt-2 w-full text-sm" data-testid="steps">
      <thead className="text-left text-slate-500">
        <tr>
          <th className="py-1">Operation</th>
          <th>Step</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>AWS request ids</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((step) => (
          <tr key={step.id} className="border-t border-slate-100 align-top" data-testid={`step-${step.operation}-${step.kind}`}>
            <td className="py-1">{step.operation.toLowerCase()}</td>
            <td>{STEP_LABELS[step.kind]}</td>
            <td>
              <StatusBadge status={step.status} />
            </td>
            <td>{step.attempts}</td>
            <td className="font-mono text-xs">{step.awsRequestIds.join(" ")}</td>
            <td className="text-red-700">{step.error}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
