import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKET, CONSUMER_ACCOUNT, OWNER_ACCOUNT } from "@/sandbox/scenario";
import type { SandboxState } from "@/sandbox/state";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { sandboxAwsConfig } from "./config";
import { createAwsContext } from "./context";
import { checkEndpoints } from "./health";
import { getBucketPolicy } from "./s3";

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox.stop();
});

describe("checkEndpoints", () => {
  it("reaches both accounts through their roles", async () => {
    const aws = createAwsContext(sandboxAwsConfig(sandbox.url));

    const checks = await checkEndpoints(aws);
    aws.destroy();

    expect(checks.map(({ account, accountId, ok }) => ({ account, accountId, ok }))).toEqual([
      { account: "owner", accountId: OWNER_ACCOUNT.id, ok: true },
      { account: "consumer", accountId: CONSUMER_ACCOUNT.id, ok: true },
    ]);
    expect(checks.every((check) => check.latencyMs >= 0)).toBe(true);
  });

  it("reports a role that cannot be assumed", async () => {
    const config = sandboxAwsConfig(sandbox.url, { maxAttempts: 1 });
    const aws = createAwsContext({
      ...config,
      consumer: { ...config.consumer, roleArn: `arn:aws:iam::${CONSUMER_ACCOUNT.id}:role/Missing` },
    });

    const [owner, consumer] = await checkEndpoints(aws);
    aws.destroy();

    expect(owner?.ok).toBe(true);
    expect(consumer?.ok).toBe(false);
    expect(consumer?.error).toContain("AccessDenied");
  });

  it("reports credentials of the wrong account", async () => {
    const config = sandboxAwsConfig(sandbox.url);
    const aws = createAwsContext({ ...config, consumer: { ...config.consumer, accountId: "111122223333" } });

    const [, consumer] = await checkEndpoints(aws);
    aws.destroy();

    expect(consumer?.ok).toBe(false);
    expect(consumer?.error).toContain("expected 111122223333");
  });

  it("reports an unreachable endpoint", async () => {
    const aws = createAwsContext(sandboxAwsConfig("http://127.0.0.1:9", { maxAttempts: 1 }));

    const checks = await checkEndpoints(aws, 2000);
    aws.destroy();

    expect(checks.map((check) => check.ok)).toEqual([false, false]);
    expect(checks[0]?.error).toContain("got no response");
  });
});

describe("assumed-role credentials", () => {
  it("assumes each role once per context", async () => {
    await sandbox.reset();
    const before = Object.keys(((await sandbox.control("GET", "/_sandbox/state")).body as SandboxState).sessions);
    const aws = createAwsContext(sandboxAwsConfig(sandbox.url));

    await Promise.all([getBucketPolicy(aws, BUCKET.name), getBucketPolicy(aws, BUCKET.name)]);
    await getBucketPolicy(aws, BUCKET.name);
    await checkEndpoints(aws);
    aws.destroy();

    const state = (await sandbox.control("GET", "/_sandbox/state")).body as SandboxState;
    const added = Object.values(state.sessions).filter((session) => !before.includes(session.accessKeyId));
    const { owner, consumer } = sandboxAwsConfig(sandbox.url);
    expect(added.map((session) => session.roleArn).sort()).toEqual([owner.roleArn, consumer.roleArn].sort());
  });
});
