import { describe, expect, it } from "vitest";
import { CONSUMER_ACCOUNT, IDENTITY_CENTER, OWNER_ACCOUNT, ROLES, SANDBOX_CREDENTIALS } from "@/sandbox/scenario";
import { loadAwsConfig } from "./config";

const production = {
  OWNER_ACCOUNT_ID: "111122223333",
  OWNER_REGION: "eu-central-1",
  OWNER_ROLE_ARN: "arn:aws:iam::111122223333:role/Provisioner",
  CONSUMER_ACCOUNT_ID: "444455556666",
  CONSUMER_REGION: "eu-west-1",
  CONSUMER_ROLE_ARN: "arn:aws:iam::444455556666:role/IdentityCenter",
  SSO_INSTANCE_ARN: "arn:aws:sso:::instance/ssoins-1111222233334444",
  IDENTITY_STORE_ID: "d-1234567890",
};

describe("loadAwsConfig", () => {
  it("defaults to the sandbox scenario with SANDBOX=1", () => {
    const config = loadAwsConfig({ SANDBOX: "1" });

    expect(config.sandbox).toBe(true);
    expect(config.endpoint).toBe("http://127.0.0.1:4566");
    expect(config.owner).toEqual({ accountId: OWNER_ACCOUNT.id, region: "us-east-2", roleArn: ROLES.ownerProvisioner });
    expect(config.consumer.accountId).toBe(CONSUMER_ACCOUNT.id);
    expect(config.identityCenter.instanceArn).toBe(IDENTITY_CENTER.instanceArn);
    expect(config.credentials?.accessKeyId).toBe(SANDBOX_CREDENTIALS.accessKeyId);
  });

  it("follows SANDBOX_PORT and explicit overrides", () => {
    const config = loadAwsConfig({ SANDBOX: "1", SANDBOX_PORT: "5999", AWS_POLL_INTERVAL_MS: "10", CONSUMER_REGION: "eu-west-1" });

    expect(config.endpoint).toBe("http://127.0.0.1:5999");
    expect(config.poll.intervalMs).toBe(10);
    expect(config.consumer.region).toBe("eu-west-1");
    expect(config.identityCenter.region).toBe("eu-west-1");
  });

  it("never takes AWS credentials into the sandbox", () => {
    const config = loadAwsConfig({ SANDBOX: "1", AWS_ACCESS_KEY_ID: "AKIAREALKEY000000000", AWS_SECRET_ACCESS_KEY: "real" });

    expect(config.credentials?.accessKeyId).toBe(SANDBOX_CREDENTIALS.accessKeyId);
    expect(() => loadAwsConfig({ SANDBOX: "1", SANDBOX_ACCESS_KEY_ID: "AKIAREALKEY000000000" })).toThrow(
      /SANDBOX_ACCESS_KEY_ID.*AKIASANDBOX/,
    );
  });

  it("reads a production configuration without credentials", () => {
    const config = loadAwsConfig(production);

    expect(config.sandbox).toBe(false);
    expect(config.endpoint).toBeUndefined();
    expect(config.credentials).toBeUndefined();
    expect(config.owner.roleArn).toBe(production.OWNER_ROLE_ARN);
    expect(config.identityCenter.region).toBe("eu-west-1");
  });

  it("names the missing variables outside the sandbox", () => {
    expect(() => loadAwsConfig({})).toThrow(/OWNER_ACCOUNT_ID is required.*SSO_INSTANCE_ARN is required/);
    expect(() => loadAwsConfig({ ...production, OWNER_ACCOUNT_ID: "12345" })).toThrow(/OWNER_ACCOUNT_ID must be a 12-digit/);
    expect(() => loadAwsConfig({ ...production, OWNER_ROLE_ARN: undefined })).toThrow(/OWNER_ROLE_ARN/);
  });
});
