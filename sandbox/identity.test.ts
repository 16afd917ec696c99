import {
  DescribeUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-identitystore";
import { GetRoleCommand, IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONSUMER_ACCOUNT,
  IDENTITY_CENTER,
  IDENTITY_STORE_GROUP,
  IDENTITY_STORE_USERS,
  OWNER_ACCOUNT,
  PORTAL_USER,
  ROLES,
} from "./scenario";
import { startTestSandbox, type TestSandbox } from "./testing";

let sandbox: TestSandbox;
let identityStore: IdentitystoreClient;

const IdentityStoreId = IDENTITY_CENTER.identityStoreId;
const [auditor1, auditor2] = IDENTITY_STORE_USERS;

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  identityStore = new IdentitystoreClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.consumerIdentityCenter)));
});

afterAll(async () => {
  identityStore.destroy();
  await sandbox.stop();
});

describe("Identity Store", () => {
  it("finds a user ID by user name", async () => {
    const output = await identityStore.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: auditor1?.userName } },
      }),
    );

    expect(output.UserId).toBe(auditor1?.userId);
  });

  it("answers ResourceNotFoundException for an unknown user name", async () => {
    const name = await errorName(
      identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: "nobody@auditfirm.com" } },
        }),
      ),
    );

    expect(name).toBe("ResourceNotFoundException");
  });

  it("lists users with a UserName filter", async () => {
    const all = await identityStore.send(new ListUsersCommand({ IdentityStoreId }));
    const filtered = await identityStore.send(
      new ListUsersCommand({ IdentityStoreId, Filters: [{ AttributePath: "UserName", AttributeValue: auditor2?.userName }] }),
    );

    expect(all.Users?.map((user) => user.UserName)).toEqual(IDENTITY_STORE_USERS.map((user) => user.userName));
    expect(filtered.Users).toHaveLength(1);
    expect(filtered.Users?.[0]?.UserId).toBe(auditor2?.userId);
  });

  it("describes a user", async () => {
    const output = await identityStore.send(new DescribeUserCommand({ IdentityStoreId, UserId: auditor1?.userId }));

    expect(output.UserName).toBe(auditor1?.userName);
    expect(output.Emails?.[0]?.Value).toBe(auditor1?.userName);
  });

  it("lists the group and its members", async () => {
    const groups = await identityStore.send(new ListGroupsCommand({ IdentityStoreId }));
    const members = await identityStore.send(
      new ListGroupMembershipsCommand({ IdentityStoreId, GroupId: IDENTITY_STORE_GROUP.groupId }),
    );

    expect(groups.Groups?.map((group) => group.DisplayName)).toEqual(["External-Auditors"]);
    expect(members.GroupMemberships?.map((membership) => membership.MemberId?.UserId)).toEqual(
      IDENTITY_STORE_GROUP.memberUserIds,
    );
  });

  it("denies the owner account", async () => {
    const owner = new IdentitystoreClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));

    const name = await errorName(owner.send(new ListUsersCommand({ IdentityStoreId })));
    owner.destroy();

    expect(name).toBe("AccessDeniedException");
  });
});

describe("STS and IAM", () => {
  it("identifies the portal's base credentials", async () => {
    const sts = new STSClient(sandbox.clientConfig());

    const output = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();

    expect(output.Account).toBe(OWNER_ACCOUNT.id);
    expect(output.Arn).toBe(PORTAL_USER.arn);
  });

  it("maps an assumed role's keys to its account", async () => {
    const credentials = await sandbox.assumeRole(ROLES.consumerIdentityCenter);
    const sts = new STSClient(sandbox.clientConfig(credentials));

    const output = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();

    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(output.Account).toBe(CONSUMER_ACCOUNT.id);
    expect(output.Arn).toBe(`arn:aws:sts::${CONSUMER_ACCOUNT.id}:assumed-role/AccessPortalIdentityCenter/test-session`);
  });

  it("denies assuming a missing or untrusting role", async () => {
    const sts = new STSClient(sandbox.clientConfig());

    const missing = await errorName(
      sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OWNER_ACCOUNT.id}:role/Missing`, RoleSessionName: "s1" })),
    );
    // DataEngineer trusts only its own account, so the owner's user cannot assume it directly.
    const untrusted = await errorName(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLES.consumerDataEngineer, RoleSessionName: "s2" })),
    );
    sts.destroy();

    expect(missing).toBe("AccessDenied");
    expect(untrusted).toBe("AccessDenied");
  });

  it("allows role chaining within an account", async () => {
    const identityCenterRole = await sandbox.assumeRole(ROLES.consumerIdentityCenter);

    const dataEngineer = await sandbox.assumeRole(ROLES.consumerDataEngineer, identityCenterRole);
    const sts = new STSClient(sandbox.clientConfig(dataEngineer));
    const output = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();

    expect(output.Arn).toContain("assumed-role/DataEngineer/");
  });

  it("rejects unknown keys and wrong session tokens", async () => {
    const unknown = new STSClient(sandbox.clientConfig({ accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" }));
    const credentials = await sandbox.assumeRole(ROLES.ownerProvisioner);
    const forged = new STSClient(sandbox.clientConfig({ ...credentials, sessionToken: "forged" }));

    const unknownName = await errorName(unknown.send(new GetCallerIdentityCommand({})));
    const forgedName = await errorName(forged.send(new GetCallerIdentityCommand({})));
    unknown.destroy();
    forged.destroy();

    expect(unknownName).toBe("InvalidClientTokenId");
    expect(forgedName).toBe("InvalidClientTokenId");
  });

  it("lists roles of the caller's account only", async () => {
    const consumer = new IAMClient(sandbox.clientConfig(await sandbox.assumeRole(ROLES.consumerIdentityCenter)));

    const roles = await consumer.send(new ListRolesCommand({}));
    const paged = await consumer.send(new ListRolesCommand({ MaxItems: 1 }));
    const next = await consumer.send(new ListRolesCommand({ MaxItems: 1, Marker: paged.Marker }));
    const dataEngineer = await consumer.send(new GetRoleCommand({ RoleName: "DataEngineer" }));
    const missing = await errorName(consumer.send(new GetRoleCommand({ RoleName: "AccessPortalProvisioner" })));
    consumer.destroy();

    expect(roles.Roles?.map((role) => role.RoleName)).toEqual(["AccessPortalIdentityCenter", "DataEngineer"]);
    expect(paged.IsTruncated).toBe(true);
    expect(next.Roles?.map((role) => role.RoleName)).toEqual(["DataEngineer"]);
    expect(dataEngineer.Role?.Arn).toBe(ROLES.consumerDataEngineer);
    expect(missing).toBe("NoSuchEntityException");
  });
});
