import { redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { registerDatasetAction } from "@/lib/actions/register-dataset";
import { getActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

const FIELDS: { name: string; label: string; placeholder: string; type?: string }[] = [
  { name: "name", label: "Name", placeholder: "Client data" },
  { name: "description", label: "Description", placeholder: "What the folder holds" },
  { name: "bucketName", label: "Bucket", placeholder: "felix-bucket-123456-xyz" },
  { name: "bucketRegion", label: "Bucket Region", placeholder: "us-east-2" },
  { name: "prefix", label: "Folder (prefix)", placeholder: "client-data/" },
  { name: "kmsKeyArn", label: "KMS key ARN", placeholder: "arn:aws:kms:us-east-2:418649672840:key/…" },
  { name: "consumerAccountId", label: "Consumer account", placeholder: "533267321107" },
  { name: "maxDurationHours", label: "Maximum period (hours)", placeholder: "72", type: "number" },
  { name: "readPermissionSetName", label: "Permission set for read", placeholder: "CrossAccountS3Read" },
  { name: "readWritePermissionSetName", label: "Permission set for read-write", placeholder: "CrossAccountS3Access" },
  { name: "sessionDurationHours", label: "Session duration (hours, 1 to 12)", placeholder: "1", type: "number" },
];

export default async function AdminDatasetsPage() {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  if (!actor.roles.includes("ADMINISTRATOR")) return <p>Only administrators can register datasets.</p>;
  const datasets = await getDb().dataset.findMany({ where: { ownerAccountId: actor.accountId }, orderBy: { name: "asc" } });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Datasets</h1>
      <table className="w-full bg-white text-sm">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="p-2">Name</th>
            <th>Folder</th>
            <th>Consumer</th>
            <th>Maximum period</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((dataset) => (
            <tr key={dataset.id} className="border-t border-slate-100">
              <td className="p-2">{dataset.name}</td>
              <td className="font-mono">
                s3://{dataset.bucketName}/{dataset.prefix}
              </td>
              <td>{dataset.consumerAccountId}</td>
              <td>{dataset.maxDurationHours} h</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ActionForm action={registerDatasetAction} submitLabel="Register dataset" className="rounded border border-slate-200 bg-white p-5" testId="register-dataset">
        <h2 className="font-medium">Register a dataset</h2>
        <div className="mt-3 grid grid-cols-2 gap-3">
          {FIELDS.map((field) => (
            <label key={field.name} className="text-sm">
              {field.label}
              <input name={field.name} type={field.type ?? "text"} placeholder={field.placeholder} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
            </label>
          ))}
        </div>
      </ActionForm>
    </div>
  );
}
