import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { GetBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import {
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsCommand,
  DescribePermissionSetCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { CONSUMER_ACCOUNT, IDENTITY_CENTER, KMS_KEY, BUCKET, ROLES, SANDBOX_CREDENTIALS } from "@/sandbox/scenario";
import { EMBEDDED_PG_PORT, SANDBOX_PORT } from "@/e2e/ports";

const endpoint = `http://127.0.0.1:${SANDBOX_PORT}`;
const region = BUCKET.region;

const pagesAcceptingDialogs = new WeakSet<Page>();

export async function signInAs(page: Page, email: string): Promise<void> {
  // Revoke and cancel ask for confirmation in a browser dialog.
  if (!pagesAcceptingDialogs.has(page)) {
    page.on("dialog", (dialog) => void dialog.accept());
    pagesAcceptingDialogs.add(page);
  }
  await page.context().clearCookies();
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in as ${email}` }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
}

/** Returns the URL of the database the portal under test uses: DATABASE_URL in CI, else the embedded one on its fixed port. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/postgres?sslmode=disable`;
}

export async function query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

// Real SDK clients against the sandbox, as the portal's own code uses them.
const baseCredentials = { accessKeyId: SANDBOX_CREDENTIALS.accessKeyId, secretAccessKey: SANDBOX_CREDENTIALS.secretAccessKey };

export const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: baseCredentials });
export const kms = new KMSClient({ endpoint, region, credentials: baseCredentials });

async function consumerSsoAdmin(): Promise<SSOAdminClient> {
  const sts = new STSClient({ endpoint, region, credentials: baseCredentials });
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: ROLES.consumerIdentityCenter, RoleSessionName: "e2e-check" }));
  const credentials = assumed.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
  return new SSOAdminClient({
    endpoint,
    region,
    credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
  });
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export async function readBucketPolicy(): Promise<PolicyStatement[]> {
  try {
    const result = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    return (JSON.parse(result.Policy ?? "{}") as { Statement: PolicyStatement[] }).Statement;
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchBucketPolicy") return [];
    throw error;
  }
}

export async function readKeyPolicy(): Promise<PolicyStatement[]> {
  const result = await kms.send(new GetKeyPolicyCommand({ KeyId: KMS_KEY.arn, PolicyName: "default" }));
  return (JSON.parse(result.Policy ?? "{}") as { Statement: PolicyStatement[] }).Statement;
}

/** Finds a permission set by name and returns its inline policy and the users assigned to it in the consumer account. */
export async function readPermissionSet(name: string): Promise<{ inlinePolicy: string | undefined; assignedUserIds: string[] } | null> {
  const sso = await consumerSsoAdmin();
  const listed = await sso.send(new ListPermissionSetsCommand({ InstanceArn: IDENTITY_CENTER.instanceArn }));
  for (const arn of listed.PermissionSets ?? []) {
    const described = await sso.send(new DescribePermissionSetCommand({ InstanceArn: IDENTITY_CENTER.instanceArn, PermissionSetArn: arn }));
    if (described.PermissionSet?.Name !== name) continue;
    const inline = await sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn: IDENTITY_CENTER.instanceArn, PermissionSetArn: arn }));
    const assignments = await sso.send(
      new ListAccountAssignmentsCommand({ InstanceArn: IDENTITY_CENTER.instanceArn, PermissionSetArn: arn, AccountId: CONSUMER_ACCOUNT.id }),
    );
    return {
      inlinePolicy: inline.InlinePolicy,
      assignedUserIds: (assignments.AccountAssignments ?? []).filter((item) => item.PrincipalType === "USER").map((item) => item.PrincipalId ?? ""),
    };
  }
  return null;
}

export function actionsOf(statement: PolicyStatement): string[] {
  if (!statement.Action) return [];
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
