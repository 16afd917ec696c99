/** Copy-paste instructions for reaching an active grant with the AWS CLI. */
export function UsageInstructions(props: { bucket: string; prefix: string; region: string; accountId: string; permissionSetName: string; readWrite: boolean }) {
  const profile = `access-portal-${props.permissionSetName.toLowerCase()}`;
  const startUrl = process.env.SSO_START_URL ?? "<SSO start URL>";
  const ssoRegion = process.env.SSO_REGION ?? props.region;
  const target = `s3://${props.bucket}/${props.prefix}`;
  const configure = [
    `aws configure set sso_start_url ${startUrl} --profile ${profile}`,
    `aws configure set sso_region ${ssoRegion} --profile ${profile}`,
    `aws configure set sso_account_id ${props.accountId} --profile ${profile}`,
    `aws configure set sso_role_name ${props.permissionSetName} --profile ${profile}`,
    `aws configure set region ${props.region} --profile ${profile}`,
    `aws sso login --profile ${profile}`,
  ].join("\n");
  const commands = [`aws s3 ls ${target} --profile ${profile}`, `aws s3 cp ${target}REPORT.pdf . --profile ${profile}`];
  if (props.readWrite) commands.push(`aws s3 cp ./REPORT.pdf ${target}REPORT.pdf --profile ${profile}`);
  return (
    <section className="rounded border border-green-200 bg-green-50 p-5" data-testid="usage-instructions">
      <h2 className="font-medium">How to use this access</h2>
      <p className="mt-1 text-sm">Set up an AWS CLI profile once (or run <code>aws configure sso</code> and pick the {props.permissionSetName} role):</p>
      <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{configure}</pre>
      {!process.env.SSO_START_URL && (
        <p className="mt-1 text-xs text-slate-600">
          Replace &lt;SSO start URL&gt; with your organization&apos;s AWS access portal address; the portal administrator sets it as SSO_START_URL.
        </p>
      )}
      <p className="mt-3 text-sm">Then list, download{props.readWrite ? " and upload" : ""} under the shared folder only. Uploads are encrypted with the dataset&apos;s key automatically; do not pass another key.</p>
      <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{commands.join("\n")}</pre>
    </section>
  );
}
