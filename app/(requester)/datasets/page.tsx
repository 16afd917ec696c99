import { redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { createRequestAction } from "@/lib/actions/create-request";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

export default async function DatasetsPage() {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  if (!actor.roles.includes("REQUESTER")) return <p>Only requesters can browse datasets.</p>;
  const datasets = await getDb().dataset.findMany({ where: { consumerAccountId: actor.accountId }, orderBy: { name: "asc" }, include: { ownerAccount: true } });

  return (
    <div>
      <h1 className="text-2xl font-semibold">Shared datasets</h1>
      <p className="mt-1 text-sm text-slate-600">Datasets other accounts share with {actor.accountId}. Ask for access for a period; two approvals follow.</p>
      {datasets.length === 0 && <p className="mt-6">No dataset is shared with your account.</p>}
      <div className="mt-6 grid gap-6">
        {datasets.map((dataset) => (
          <section key={dataset.id} className="rounded border border-slate-200 bg-white p-5" data-testid={`dataset-${dataset.name}`}>
            <h2 className="text-lg font-medium">{dataset.name}</h2>
            <p className="text-sm text-slate-600">{dataset.description}</p>
            <dl className="mt-3 grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
              <dt className="text-slate-500">Folder</dt>
              <dd className="font-mono">s3://{dataset.bucketName}/{dataset.prefix}</dd>
              <dt className="text-slate-500">Owner account</dt>
              <dd>
                {dataset.ownerAccount.name} ({dataset.ownerAccountId})
              </dd>
              <dt className="text-slate-500">Encryption key</dt>
              <dd className="break-all font-mono text-xs">{dataset.kmsKeyArn}</dd>
              <dt className="text-slate-500">Maximum period</dt>
              <dd>{dataset.maxDurationHours} hours</dd>
            </dl>
            <ActionForm action={createRequestAction} submitLabel="Request access" className="mt-4 border-t border-slate-100 pt-4">
              <input type="hidden" name="datasetId" value={dataset.id} />
              <div className="flex flex-wrap gap-4">
                <label className="text-sm">
                  Access level
                  <select name="accessLevel" className="mt-1 block rounded border border-slate-300 px-2 py-1" defaultValue="READ">
                    <option value="READ">read</option>
                    <option value="READ_WRITE">read-write</option>
                  </select>
                </label>
                <label className="text-sm">
                  Period (hours, at most {dataset.maxDurationHours})
                  <input name="durationHours" type="number" min={1} defaultValue={8} className="mt-1 block w-32 rounded border border-slate-300 px-2 py-1" />
                </label>
              </div>
              <label className="mt-3 block text-sm">
                Justification
                <textarea name="justification" rows={3} maxLength={2000} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
              </label>
            </ActionForm>
          </section>
        ))}
      </div>
    </div>
  );
}
