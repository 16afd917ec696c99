import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CONSUMER_ACCOUNT,
  IDENTITY_STORE_USERS,
  OWNER_ACCOUNT,
  PERMISSION_SET_NAME,
  RESERVED_SSO_ROLE_PATH,
} from "@/sandbox/scenario";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { createAccountAssignment, deleteAccountAssignment, listAccountAssignments } from "./assignments";
import { sandboxAwsConfig } from "./config";
import { createAwsContext, type AwsContext } from "./context";
import { AwsCallError } from "./errors";
import { findPermissionSetRoles } from "./iam";
import { findUserId } from "./identity-store";
import { describePermissionSet, ensurePermissionSet, getInlinePolicy } from "./permission-sets";
import { provisionPermissionSet } from "./provisioning";

let sandbox: TestSandbox;
let aws: AwsContext;

const auditor = IDENTITY_STORE_USERS[0];
const fastPoll = { intervalMs: 20, maxIntervalMs: 60, timeoutMs: 5000 };

function inlinePolicy(prefix: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::felix-bucket-123456-xyz/${prefix}*` }],
  });
}

const spec = {
  name: PERMISSION_SET_NAME,
  description: "Cross-account read access to shared S3 folders",
  sessionDuration: "PT1H",
  inlinePolicy: inlinePolicy("client-data/"),
};

async function callError(promise: Promise<unknown>): Promise<AwsCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AwsCallError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ asyncDelayMs: 60 });
  aws = createAwsContext(sandboxAwsConfig(sandbox.url, { poll: fastPoll }));
});

beforeEach(async () => {
  await sandbox.reset();
});

afterAll(async () => {
  aws.destroy();
  await sandbox.stop();
});

describe("ensurePermissionSet", () => {
  it("creates the permission set with its inline policy", async () => {
    const result = await ensurePermissionSet(aws, spec);
    const described = await describePermissionSet(aws, result.permissionSetArn);
    const inline = await getInlinePolicy(aws, result.permissionSetArn);

    expect(result.created).toBe(true);
    expect(result.inlinePolicyUpdated).toBe(true);
    expect(result.requestIds).toHaveLength(2);
    expect(described).toMatchObject({ name: PERMISSION_SET_NAME, sessionDuration: "PT1H", description: spec.description });
    expect(inline.policy).toBe(spec.inlinePolicy);
  });

  it("changes nothing when called again", async () => {
    const first = await ensurePermissionSet(aws, spec);

    const second = await ensurePermissionSet(aws, { ...spec, inlinePolicy: JSON.stringify(JSON.parse(spec.inlinePolicy), null, 2) });

    expect(second.permissionSetArn).toBe(first.permissionSetArn);
    expect(second.created).toBe(false);
    expect(second.sessionDurationUpdated).toBe(false);
    expect(second.inlinePolicyUpdated).toBe(false);
    expect(second.requestIds).toEqual([]);
  });

  it("updates the session duration and inline policy", async () => {
    const first = await ensurePermissionSet(aws, spec);

    const second = await ensurePermissionSet(aws, { ...spec, sessionDuration: "PT8H", inlinePolicy: inlinePolicy("client-data/audit-reports/") });
    const described = await describePermissionSet(aws, first.permissionSetArn);
    const inline = await getInlinePolicy(aws, first.permissionSetArn);

    expect(second.sessionDurationUpdated).toBe(true);
    expect(second.inlinePolicyUpdated).toBe(true);
    expect(second.requestIds).toHaveLength(2);
    expect(described.sessionDuration).toBe("PT8H");
    expect(inline.policy).toContain("audit-reports");
  });

  it("throws ValidationException for an oversize inline policy", async () => {
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::b/${"p".repeat(300)}` };
    const large = JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: 40 }, () => statement) });

    const error = await callError(ensurePermissionSet(aws, { ...spec, inlinePolicy: large }));

    expect(error.code).toBe("ValidationException");
    expect(error.operation).toBe("PutInlinePolicyToPermissionSet");
  });
});

describe("provisionPermissionSet", () => {
  it("polls from IN_PROGRESS to SUCCEEDED and creates the role", async () => {
    const { permissionSetArn } = await ensurePermissionSet(aws, spec);

    const result = await provisionPermissionSet(aws, permissionSetArn, CONSUMER_ACCOUNT.id);
    const roles = await findPermissionSetRoles(aws, CONSUMER_ACCOUNT.id, PERMISSION_SET_NAME);

    expect(result.statuses[0]).toBe("IN_PROGRESS");
    expect(result.statuses.at(-1)).toBe("SUCCEEDED");
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.provisioningRequestId).not.toBe(result.requestId);
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatch(
      new RegExp(`^arn:aws:iam::${CONSUMER_ACCOUNT.id}:role${RESERVED_SSO_ROLE_PATH}AWSReservedSSO_${PERMISSION_SET_NAME}_[0-9a-f]{16}$`),
    );
  });

  it("keeps roles of similarly named permission sets apart", async () => {
    const main = await ensurePermissionSet(aws, spec);
    const admin = await ensurePermissionSet(aws, { ...spec, name: `${PERMISSION_SET_NAME}_Admin` });
    await provisionPermissionSet(aws, main.permissionSetArn, CONSUMER_ACCOUNT.id);
    await provisionPermissionSet(aws, admin.permissionSetArn, CONSUMER_ACCOUNT.id);

    const mainRoles = await findPermissionSetRoles(aws, CONSUMER_ACCOUNT.id, PERMISSION_SET_NAME);
    const adminRoles = await findPermissionSetRoles(aws, CONSUMER_ACCOUNT.id, `${PERMISSION_SET_NAME}_Admin`);
    const ownerRoles = await findPermissionSetRoles(aws, OWNER_ACCOUNT.id, PERMISSION_SET_NAME);

    expect(mainRoles).toHaveLength(1);
    expect(adminRoles).toHaveLength(1);
    expect(mainRoles[0]).not.toBe(adminRoles[0]);
    expect(ownerRoles).toEqual([]);
  });

  it("throws RequestFailed with the failure reason", async () => {
    const { permissionSetArn } = await ensurePermissionSet(aws, spec);

    const error = await callError(provisionPermissionSet(aws, permissionSetArn, "111122223333"));

    expect(error.code).toBe("RequestFailed");
    expect(error.message).toContain("111122223333");
    expect(error.retryable).toBe(false);
  });

  it("throws PollTimeout when the request stays IN_PROGRESS", async () => {
    const { permissionSetArn } = await ensurePermissionSet(aws, spec);

    const error = await callError(
      provisionPermissionSet(aws, permissionSetArn, CONSUMER_ACCOUNT.id, { intervalMs: 5, maxIntervalMs: 5, timeoutMs: 15 }),
    );

    expect(error.code).toBe("PollTimeout");
    expect(error.retryable).toBe(true);
  });

  it("stops polling when aborted", async () => {
    const { permissionSetArn } = await ensurePermissionSet(aws, spec);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("job cancelled")), 30);

    const provisioning = provisionPermissionSet(aws, permissionSetArn, CONSUMER_ACCOUNT.id, {
      signal: controller.signal,
      intervalMs: 5000,
      timeoutMs: 10_000,
    });

    await expect(provisioning).rejects.toThrow("job cancelled");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("account assignments", () => {
  it("finds a user ID and rejects an unknown name", async () => {
    const userId = await findUserId(aws, auditor?.userName ?? "");
    const error = await callError(findUserId(aws, "nobody@auditfirm.com"));

    expect(userId).toBe(auditor?.userId);
    expect(error.code).toBe("ResourceNotFoundException");
    expect(error.service).toBe("identitystore");
  });

  it("creates, lists and deletes an assignment idempotently", async () => {
    const { permissionSetArn } = await ensurePermissionSet(aws, spec);
    const target = { permissionSetArn, accountId: CONSUMER_ACCOUNT.id, userId: auditor?.userId ?? "" };

    const created = await createAccountAssignment(aws, target);
    const again = await createAccountAssignment(aws, target);
    const listed = await listAccountAssignments(aws, target);

    expect(created.changed).toBe(true);
    expect(created.statuses[0]).toBe("IN_PROGRESS");
    expect(created.statuses.at(-1)).toBe("SUCCEEDED");
    expect(again).toEqual({ changed: false, requestId: null, statuses: [] });
    expect(listed).toEqual([{ principalType: "USER", principalId: auditor?.userId }]);

    const deleted = await deleteAccountAssignment(aws, target);
    const deletedAgain = await deleteAccountAssignment(aws, target);
    const empty = await listAccountAssignments(aws, target);

    expect(deleted.changed).toBe(true);
    expect(deleted.statuses[0]).toBe("IN_PROGRESS");
    expect(deleted.statuses.at(-1)).toBe("SUCCEEDED");
    expect(deletedAgain.changed).toBe(false);
    expect(empty).toEqual([]);
  });

  it("throws RequestFailed for an unknown user", async () => {
    const { permissionSetArn } = await ensurePermissionSet(aws, spec);

    const error = await callError(
      createAccountAssignment(aws, { permissionSetArn, accountId: CONSUMER_ACCOUNT.id, userId: "00000000-0000-0000-0000-000000000000" }),
    );

    expect(error.code).toBe("RequestFailed");
    expect(error.operation).toBe("CreateAccountAssignment");
  });

  it("rejects an account that is not configured", async () => {
    await expect(findPermissionSetRoles(aws, "999988887777", PERMISSION_SET_NAME)).rejects.toThrow(/not configured/);
  });
});
