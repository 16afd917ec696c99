import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CONSUMER_ACCOUNT,
  IDENTITY_CENTER,
  IDENTITY_STORE_USERS,
  PERMISSION_SET_NAME,
  RESERVED_SSO_ROLE_PATH,
  ROLES,
} from "./scenario";
import { startTestSandbox, type TestSandbox } from "./testing";

// Long enough that a status read right after the request is still IN_PROGRESS.
const ASYNC_DELAY_MS = 250;

let sandbox: TestSandbox;
let sso: SSOAdminClient;
let iam: IAMClient;

const InstanceArn = IDENTITY_CENTER.instanceArn;
const auditor = IDENTITY_STORE_USERS[0]?.userId ?? "";

const inlinePolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::felix-bucket-123456-xyz/client-data/*" }],
});

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error("expected the call to fail");
}

/** Polls a status until it leaves IN_PROGRESS; the sandbox settles within its configured delay. */
async function settled<T extends { Status?: string }>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = await read();
    if (status && status.Status !== "IN_PROGRESS") return status;
    if (Date.now() > deadline) throw new Error("status stayed IN_PROGRESS");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function createPermissionSet(name = PERMISSION_SET_NAME): Promise<string> {
  const output = await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name: name, SessionDuration: "PT1H" }));
  return output.PermissionSet?.PermissionSetArn ?? "";
}

async function provision(permissionSetArn: string, accountId: string = CONSUMER_ACCOUNT.id) {
  const started = await sso.send(
    new ProvisionPermissionSetCommand({ InstanceArn, PermissionSetArn: permissionSetArn, TargetType: "AWS_ACCOUNT", TargetId: accountId }),
  );
  const requestId = started.PermissionSetProvisioningStatus?.RequestId ?? "";
  const final = await settled(async () => {
    const output = await sso.send(
      new DescribePermissionSetProvisioningStatusCommand({ InstanceArn, ProvisionPermissionSetRequestId: requestId }),
    );
    return output.PermissionSetProvisioningStatus;
  });
  return { first: started.PermissionSetProvisioningStatus, final };
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ asyncDelayMs: ASYNC_DELAY_MS });
  const consumer = sandbox.clientConfig(await sandbox.assumeRole(ROLES.consumerIdentityCenter));
  sso = new SSOAdminClient(consumer);
  iam = new IAMClient(consumer);
});

beforeEach(async () => {
  await sandbox.reset();
});

afterAll(async () => {
  sso.destroy();
  iam.destroy();
  await sandbox.stop();
});

describe("SSO Admin permission sets", () => {
  it("lists the seeded instance", async () => {
    const output = await sso.send(new ListInstancesCommand({}));

    expect(output.Instances).toHaveLength(1);
    expect(output.Instances?.[0]?.InstanceArn).toBe(InstanceArn);
    expect(output.Instances?.[0]?.IdentityStoreId).toBe(IDENTITY_CENTER.identityStoreId);
  });

  it("creates, describes, lists and updates a permission set", async () => {
    const arn = await createPermissionSet();
    expect(arn).toMatch(/^arn:aws:sso:::permissionSet\/ssoins-7223a1b2c3d4e5f6\/ps-[0-9a-f]{16}$/);

    await sso.send(new UpdatePermissionSetCommand({ InstanceArn, PermissionSetArn: arn, SessionDuration: "PT4H" }));
    const described = await sso.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: arn }));
    const listed = await sso.send(new ListPermissionSetsCommand({ InstanceArn }));

    expect(described.PermissionSet?.Name).toBe(PERMISSION_SET_NAME);
    expect(described.PermissionSet?.SessionDuration).toBe("PT4H");
    expect(described.PermissionSet?.CreatedDate).toBeInstanceOf(Date);
    expect(listed.PermissionSets).toEqual([arn]);
  });

  it("rejects a duplicate name with ConflictException", async () => {
    await createPermissionSet();

    expect(await errorName(createPermissionSet())).toBe("ConflictException");
  });

  it("rejects session durations outside 1 to 12 hours", async () => {
    for (const duration of ["PT30M", "PT13H", "one hour"]) {
      const name = await errorName(
        sso.send(new CreatePermissionSetCommand({ InstanceArn, Name: "Other", SessionDuration: duration })),
      );
      expect(name, duration).toBe("ValidationException");
    }
  });

  it("stores the inline policy and validates it", async () => {
    const arn = await createPermissionSet();
    const empty = await sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn: arn }));
    expect(empty.InlinePolicy).toBeFalsy();

    await sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn: arn, InlinePolicy: inlinePolicy }));
    const stored = await sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn: arn }));
    expect(stored.InlinePolicy).toBe(inlinePolicy);

    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::b/${"x".repeat(200)}` };
    const oversize = JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: 50 }, () => statement) });
    const invalid: [string, string][] = [
      ["invalid JSON", "{"],
      ["principal in an identity policy", JSON.stringify({ Statement: [{ ...statement, Principal: "*" }] })],
      ["over 10,240 characters", oversize],
    ];
    for (const [label, policy] of invalid) {
      const name = await errorName(
        sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn: arn, InlinePolicy: policy })),
      );
      expect(name, label).toBe("ValidationException");
    }
  });

  it("answers ResourceNotFoundException for an unknown permission set", async () => {
    const name = await errorName(
      sso.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: `${InstanceArn.replace("instance", "permissionSet")}/ps-0000000000000000` })),
    );

    expect(name).toBe("ResourceNotFoundException");
  });

  it("denies the owner account", async () => {
    const owner = new SSOAdminClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));

    const name = await errorName(owner.send(new ListInstancesCommand({})));
    owner.destroy();

    expect(name).toBe("AccessDeniedException");
  });
});

describe("SSO Admin provisioning", () => {
  it("reports IN_PROGRESS first, then creates the reserved role", async () => {
    const arn = await createPermissionSet();
    await sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn: arn, InlinePolicy: inlinePolicy }));

    const started = await sso.send(
      new ProvisionPermissionSetCommand({ InstanceArn, PermissionSetArn: arn, TargetType: "AWS_ACCOUNT", TargetId: CONSUMER_ACCOUNT.id }),
    );
    const requestId = started.PermissionSetProvisioningStatus?.RequestId ?? "";
    const immediate = await sso.send(
      new DescribePermissionSetProvisioningStatusCommand({ InstanceArn, ProvisionPermissionSetRequestId: requestId }),
    );
    expect(started.PermissionSetProvisioningStatus?.Status).toBe("IN_PROGRESS");
    expect(immediate.PermissionSetProvisioningStatus?.Status).toBe("IN_PROGRESS");

    const final = await settled(async () => {
      const output = await sso.send(
        new DescribePermissionSetProvisioningStatusCommand({ InstanceArn, ProvisionPermissionSetRequestId: requestId }),
      );
      return output.PermissionSetProvisioningStatus;
    });
    expect(final.Status).toBe("SUCCEEDED");

    const roles = await iam.send(new ListRolesCommand({ PathPrefix: "/aws-reserved/sso.amazonaws.com/" }));
    expect(roles.Roles).toHaveLength(1);
    const role = roles.Roles?.[0];
    expect(role?.Path).toBe(RESERVED_SSO_ROLE_PATH);
    expect(role?.RoleName).toMatch(new RegExp(`^AWSReservedSSO_${PERMISSION_SET_NAME}_[0-9a-f]{16}$`));
    expect(role?.Arn).toBe(`arn:aws:iam::${CONSUMER_ACCOUNT.id}:role${RESERVED_SSO_ROLE_PATH}${role?.RoleName}`);

    const copied = await iam.send(new GetRolePolicyCommand({ RoleName: role?.RoleName, PolicyName: "AwsSSOInlinePolicy" }));
    expect(decodeURIComponent(copied.PolicyDocument ?? "")).toBe(inlinePolicy);
  });

  it("keeps the role name when provisioned again", async () => {
    const arn = await createPermissionSet();
    await provision(arn);
    const before = await iam.send(new ListRolesCommand({ PathPrefix: "/aws-reserved/" }));

    await sso.send(new UpdatePermissionSetCommand({ InstanceArn, PermissionSetArn: arn, SessionDuration: "PT2H" }));
    const outdated = await sso.send(
      new ListPermissionSetsProvisionedToAccountCommand({
        InstanceArn,
        AccountId: CONSUMER_ACCOUNT.id,
        ProvisioningStatus: "LATEST_PERMISSION_SET_NOT_PROVISIONED",
      }),
    );
    expect(outdated.PermissionSets).toEqual([arn]);

    await provision(arn);
    const after = await iam.send(new ListRolesCommand({ PathPrefix: "/aws-reserved/" }));
    const roleName = after.Roles?.[0]?.RoleName ?? "";
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    const latest = await sso.send(
      new ListPermissionSetsProvisionedToAccountCommand({
        InstanceArn,
        AccountId: CONSUMER_ACCOUNT.id,
        ProvisioningStatus: "LATEST_PERMISSION_SET_PROVISIONED",
      }),
    );

    expect(after.Roles?.map((entry) => entry.Arn)).toEqual(before.Roles?.map((entry) => entry.Arn));
    expect(role.Role?.MaxSessionDuration).toBe(7200);
    expect(latest.PermissionSets).toEqual([arn]);
  });

  it("fails provisioning to an account outside the organization", async () => {
    const arn = await createPermissionSet();

    const { first, final } = await provision(arn, "111122223333");

    expect(first?.Status).toBe("IN_PROGRESS");
    expect(final.Status).toBe("FAILED");
    expect(final.FailureReason).toContain("111122223333");
  });
});

describe("SSO Admin account assignments", () => {
  const assignment = (PermissionSetArn: string, PrincipalId = auditor) => ({
    InstanceArn,
    TargetId: CONSUMER_ACCOUNT.id,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn,
    PrincipalType: "USER" as const,
    PrincipalId,
  });

  it("creates, lists and deletes an assignment asynchronously", async () => {
    const arn = await createPermissionSet();

    const created = await sso.send(new CreateAccountAssignmentCommand(assignment(arn)));
    const creationId = created.AccountAssignmentCreationStatus?.RequestId ?? "";
    expect(created.AccountAssignmentCreationStatus?.Status).toBe("IN_PROGRESS");
    const listedEarly = await sso.send(
      new ListAccountAssignmentsCommand({ InstanceArn, AccountId: CONSUMER_ACCOUNT.id, PermissionSetArn: arn }),
    );
    expect(listedEarly.AccountAssignments).toEqual([]);

    const creation = await settled(async () => {
      const output = await sso.send(
        new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn, AccountAssignmentCreationRequestId: creationId }),
      );
      return output.AccountAssignmentCreationStatus;
    });
    expect(creation.Status).toBe("SUCCEEDED");
    const listed = await sso.send(
      new ListAccountAssignmentsCommand({ InstanceArn, AccountId: CONSUMER_ACCOUNT.id, PermissionSetArn: arn }),
    );
    expect(listed.AccountAssignments).toEqual([
      { AccountId: CONSUMER_ACCOUNT.id, PermissionSetArn: arn, PrincipalType: "USER", PrincipalId: auditor },
    ]);

    // The first assignment provisions the permission set, as in Identity Center.
    const roles = await iam.send(new ListRolesCommand({ PathPrefix: "/aws-reserved/sso.amazonaws.com/" }));
    expect(roles.Roles).toHaveLength(1);

    const deleted = await sso.send(new DeleteAccountAssignmentCommand(assignment(arn)));
    expect(deleted.AccountAssignmentDeletionStatus?.Status).toBe("IN_PROGRESS");
    const deletionId = deleted.AccountAssignmentDeletionStatus?.RequestId ?? "";
    const deletion = await settled(async () => {
      const output = await sso.send(
        new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn, AccountAssignmentDeletionRequestId: deletionId }),
      );
      return output.AccountAssignmentDeletionStatus;
    });
    expect(deletion.Status).toBe("SUCCEEDED");
    const empty = await sso.send(
      new ListAccountAssignmentsCommand({ InstanceArn, AccountId: CONSUMER_ACCOUNT.id, PermissionSetArn: arn }),
    );
    expect(empty.AccountAssignments).toEqual([]);
  });

  it("fails an assignment for an unknown user", async () => {
    const arn = await createPermissionSet();

    const created = await sso.send(new CreateAccountAssignmentCommand(assignment(arn, "00000000-0000-0000-0000-000000000000")));
    const requestId = created.AccountAssignmentCreationStatus?.RequestId ?? "";
    const final = await settled(async () => {
      const output = await sso.send(
        new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn, AccountAssignmentCreationRequestId: requestId }),
      );
      return output.AccountAssignmentCreationStatus;
    });

    expect(final.Status).toBe("FAILED");
    expect(final.FailureReason).toContain("does not exist");
  });
});
