import { expect, test, type Page } from "@playwright/test";
import { actionsOf, query, readBucketPolicy, readKeyPolicy, readPermissionSet, signInAs } from "@/e2e/helpers";
import { FOREIGN_BUCKET_STATEMENT_SID, IDENTITY_STORE_USERS, SEED_BUCKET_POLICY } from "@/sandbox/scenario";

const OWNER = "data.owner@efs.example";
const MANAGER = "audit.manager@auditfirm.example";
const REVIEWER = "compliance@efs.example";

function userIdOf(email: string): string {
  const user = IDENTITY_STORE_USERS.find((candidate) => candidate.userName === email);
  if (!user) throw new Error(`no sandbox user ${email}`);
  return user.userId;
}

async function requestAccess(page: Page, requester: string, level: "READ" | "READ_WRITE", hours: string): Promise<string> {
  await signInAs(page, requester);
  await page.goto("/datasets");
  const dataset = page.getByTestId("dataset-Client data");
  await dataset.getByLabel("Access level").selectOption(level);
  await dataset.getByLabel(/Period/).fill(hours);
  await dataset.getByLabel("Justification").fill("Year-end audit fieldwork on the client's statements");
  await dataset.getByRole("button", { name: "Request access" }).click();
  await expect(dataset.getByRole("status")).toContainText("Request submitted");
  const rows = await query<{ id: string }>(
    `SELECT r.id FROM "AccessRequest" r JOIN "Person" p ON p.id = r."requesterId" WHERE p.email = $1 ORDER BY r."createdAt" DESC LIMIT 1`,
    [requester],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error("request not stored");
  return id;
}

async function approve(page: Page, approver: string, requestId: string): Promise<void> {
  await signInAs(page, approver);
  await page.goto("/approvals");
  await page.locator(`a[href="/approvals/${requestId}"]`).click();
  // Both approvers see the three documents' diff and the proof before deciding.
  const preview = page.getByTestId("policy-preview");
  await expect(preview.getByRole("heading", { name: /Bucket policy/ })).toBeVisible();
  await expect(preview.getByRole("heading", { name: /Key policy/ })).toBeVisible();
  await expect(preview.getByRole("heading", { name: /Permission set/ })).toBeVisible();
  await expect(preview.getByTestId("proof-table")).toContainText("every row as expected");
  const form = page.getByTestId("decision-form");
  await form.getByLabel("Approve").check();
  await form.getByLabel(/Comment/).fill("Engagement letter on file");
  await form.getByRole("button", { name: "Submit decision" }).click();
  await expect(page.getByTestId("your-decision")).toContainText("You approved this request");
}

async function grantStatus(requestId: string): Promise<string | undefined> {
  const rows = await query<{ status: string }>(`SELECT status FROM "Grant" WHERE "requestId" = $1`, [requestId]);
  return rows[0]?.status;
}

async function auditActions(subjectIds: string[]): Promise<string[]> {
  const rows = await query<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "subjectId" = ANY($1) ORDER BY sequence`, [subjectIds]);
  return rows.map((row) => row.action);
}

function managedAllows(statements: Awaited<ReturnType<typeof readBucketPolicy>>) {
  return statements.filter((statement) => statement.Sid?.startsWith("AccessPortal") && statement.Effect === "Allow");
}

test("read-write grant is provisioned, proven and revoked", async ({ page }) => {
  const requestId = await requestAccess(page, "auditor1@auditfirm.com", "READ_WRITE", "8");
  await approve(page, MANAGER, requestId);
  await approve(page, OWNER, requestId);

  await page.goto("/grants");
  await expect.poll(() => grantStatus(requestId), { timeout: 90_000 }).toBe("ACTIVE");

  // The three documents and the assignment, read back through the SDK.
  const permissionSet = await readPermissionSet("CrossAccountS3Access");
  expect(permissionSet).not.toBeNull();
  expect(permissionSet?.assignedUserIds).toContain(userIdOf("auditor1@auditfirm.com"));
  const inline = JSON.parse(permissionSet?.inlinePolicy ?? "{}") as { Statement: { Action: string | string[] }[] };
  expect(inline.Statement.flatMap((statement) => actionsOf(statement as never))).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject", "kms:GenerateDataKey"]));

  const bucketStatements = await readBucketPolicy();
  const foreign = bucketStatements.find((statement) => statement.Sid === FOREIGN_BUCKET_STATEMENT_SID);
  expect(foreign).toEqual(SEED_BUCKET_POLICY.Statement.find((statement) => statement.Sid === FOREIGN_BUCKET_STATEMENT_SID));
  expect(managedAllows(bucketStatements).flatMap(actionsOf)).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject", "s3:ListBucket"]));

  const keyStatements = await readKeyPolicy();
  const keyUse = keyStatements.find((statement) => statement.Sid?.startsWith("AccessPortal") && actionsOf(statement).includes("kms:GenerateDataKey"));
  expect(keyUse).toBeDefined();
  expect(JSON.stringify(keyUse?.Condition)).toContain("AWSReservedSSO_CrossAccountS3Access_");
  expect(keyStatements.some((statement) => statement.Sid === "Enable IAM User Permissions")).toBe(true);

  // The requester gets instructions for using the access.
  await signInAs(page, "auditor1@auditfirm.com");
  await page.goto(`/requests/${requestId}`);
  await expect(page.getByTestId("usage-instructions")).toContainText("aws s3 ls s3://felix-bucket-123456-xyz/client-data/");

  // The data owner revokes.
  await signInAs(page, OWNER);
  await page.goto("/grants");
  const row = page.getByTestId("grant-row").filter({ hasText: "auditor1@auditfirm.com" }).filter({ hasText: "active" });
  await row.getByLabel("Reason").fill("Fieldwork finished");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect.poll(() => grantStatus(requestId), { timeout: 90_000 }).toBe("REVOKED");

  expect((await readPermissionSet("CrossAccountS3Access"))?.assignedUserIds).not.toContain(userIdOf("auditor1@auditfirm.com"));
  const afterRevoke = await readBucketPolicy();
  expect(managedAllows(afterRevoke)).toEqual([]);
  expect(afterRevoke.find((statement) => statement.Sid === FOREIGN_BUCKET_STATEMENT_SID)).toEqual(foreign);
  expect((await readKeyPolicy()).filter((statement) => statement.Sid?.startsWith("AccessPortal"))).toEqual([]);

  // Every step is in the audit trail, and the page shows it.
  const grantId = (await query<{ id: string }>(`SELECT id FROM "Grant" WHERE "requestId" = $1`, [requestId]))[0]?.id ?? "";
  const actions = await auditActions([requestId, grantId]);
  expect(actions).toEqual(
    expect.arrayContaining(["request.created", "request.approved", "grant.created", "grant.step_succeeded", "grant.activated", "grant.revoke_requested", "grant.revoked"]),
  );
  expect(actions.filter((action) => action === "grant.step_succeeded")).toHaveLength(10);

  await signInAs(page, REVIEWER);
  await page.goto(`/audit?subjectId=${grantId}`);
  await expect(page.getByTestId("chain-status")).toContainText("Hash chain intact");
  for (const action of ["grant.created", "grant.activated", "grant.revoke_requested", "grant.revoked"]) {
    await expect(page.getByTestId("audit-table").getByText(action, { exact: true }).first()).toBeVisible();
  }

  // The filter form sends empty fields for unused filters.
  await page.goto("/audit");
  await page.getByLabel("Action").selectOption("grant.revoked");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=grant.revoked/);
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByTestId("audit-row")).toContainText("grant.revoked");
});

test("read grant expires at its end time", async ({ page }) => {
  const requestId = await requestAccess(page, "auditor2@auditfirm.com", "READ", "1");
  await approve(page, MANAGER, requestId);
  await approve(page, OWNER, requestId);
  await expect.poll(() => grantStatus(requestId), { timeout: 90_000 }).toBe("ACTIVE");
  expect((await readPermissionSet("CrossAccountS3Read"))?.assignedUserIds).toContain(userIdOf("auditor2@auditfirm.com"));

  // A test cannot wait an hour, so the end time moves to the past. The worker's
  // expiry sweep must then find the grant by itself.
  await query(`UPDATE "Grant" SET "endsAt" = now() - interval '1 second' WHERE "requestId" = $1`, [requestId]);
  await expect.poll(() => grantStatus(requestId), { timeout: 90_000 }).toBe("EXPIRED");

  expect((await readPermissionSet("CrossAccountS3Read"))?.assignedUserIds).not.toContain(userIdOf("auditor2@auditfirm.com"));
  expect(managedAllows(await readBucketPolicy())).toEqual([]);

  const grantId = (await query<{ id: string }>(`SELECT id FROM "Grant" WHERE "requestId" = $1`, [requestId]))[0]?.id ?? "";
  expect(await auditActions([grantId])).toEqual(expect.arrayContaining(["grant.activated", "grant.expiry_started", "grant.expired"]));

  await signInAs(page, "auditor2@auditfirm.com");
  await page.goto(`/requests/${requestId}`);
  await expect(page.getByText("expired", { exact: true }).first()).toBeVisible();
});

test("bad request input is rejected in the page", async ({ page }) => {
  await signInAs(page, "auditor1@auditfirm.com");
  await page.goto("/datasets");
  const dataset = page.getByTestId("dataset-Client data");
  await dataset.getByLabel(/Period/).fill("500");
  await dataset.getByLabel("Justification").fill("Valid justification text");
  await dataset.getByRole("button", { name: "Request access" }).click();
  await expect(dataset.getByRole("alert")).toContainText("at most 72 hours");
  // A rejected submission keeps what was typed.
  await expect(dataset.getByLabel("Justification")).toHaveValue("Valid justification text");
  await expect(dataset.getByLabel(/Period/)).toHaveValue("500");

  await dataset.getByLabel(/Period/).fill("8");
  await dataset.getByLabel("Justification").fill("");
  await dataset.getByRole("button", { name: "Request access" }).click();
  await expect(dataset.getByRole("alert")).toContainText("Justification must be at least 10 characters");

  await signInAs(page, "admin@efs.example");
  await page.goto("/admin/datasets");
  const register = page.getByTestId("register-dataset");
  const values: Record<string, string> = {
    "Name": "Wildcard folder",
    "Bucket": "felix-bucket-123456-xyz",
    "Bucket Region": "us-east-2",
    "Folder (prefix)": "client-*/",
    "KMS key ARN": "arn:aws:kms:us-east-2:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e",
    "Consumer account": "533267321107",
    "Maximum period (hours)": "24",
    "Permission set for read": "WildRead",
    "Permission set for read-write": "WildWrite",
    "Session duration (hours, 1 to 12)": "1",
  };
  for (const [label, value] of Object.entries(values)) await register.getByLabel(label, { exact: true }).fill(value);
  await register.getByRole("button", { name: "Register dataset" }).click();
  await expect(register.getByRole("alert")).toContainText("prefix");
  await expect(register.getByRole("alert")).toContainText("must not contain \"*\"");
  expect(await query(`SELECT id FROM "Dataset" WHERE name = 'Wildcard folder'`)).toEqual([]);
});
