import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { CreatePermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { BUCKET, FOREIGN_BUCKET_STATEMENT_SID, IDENTITY_CENTER, ROLES } from "./scenario";
import type { SandboxState } from "./state";
import { startTestSandbox, type TestSandbox } from "./testing";

const running: TestSandbox[] = [];

async function start(options: Parameters<typeof startTestSandbox>[0] = {}): Promise<TestSandbox> {
  const sandbox = await startTestSandbox(options);
  running.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.stop()));
});

const replacementPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AccessPortalTest",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::533267321107:root" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${BUCKET.name}/client-data/*`,
    },
  ],
});

async function failureOf(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode, message: failure.message };
  }
  throw new Error("expected the call to fail");
}

describe("sandbox control API", () => {
  it("reports health and dumps the state", async () => {
    const sandbox = await start();

    const health = await sandbox.control("GET", "/_sandbox/health");
    const state = await sandbox.control("GET", "/_sandbox/state");

    expect(health).toEqual({ status: 200, body: { status: "ok" } });
    expect((state.body as SandboxState).identityCenter.instanceArn).toBe(IDENTITY_CENTER.instanceArn);
  });

  it("injects a 500 that the next call does not see", async () => {
    const sandbox = await start();
    const s3 = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));

    const added = await sandbox.control("POST", "/_sandbox/faults", {
      service: "s3",
      operation: "GetBucketPolicy",
      error: { status: 500, code: "InternalError" },
      count: 1,
    });
    const failed = await failureOf(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name })));
    const succeeded = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    s3.destroy();

    expect(added.status).toBe(201);
    expect(failed.name).toBe("InternalError");
    expect(failed.status).toBe(500);
    expect(succeeded.Policy).toContain(FOREIGN_BUCKET_STATEMENT_SID);
  });

  it("lets the SDK retry through an injected 500", async () => {
    const sandbox = await start();
    const credentials = await sandbox.assumeRole(ROLES.ownerProvisioner);
    const s3 = new S3Client({ ...sandbox.clientConfig(credentials), maxAttempts: 3 });

    await sandbox.control("POST", "/_sandbox/faults", {
      service: "s3",
      operation: "GetBucketPolicy",
      error: { status: 500, code: "InternalError" },
    });
    const output = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    s3.destroy();

    expect(output.$metadata.attempts).toBe(2);
  });

  it("delays a call and leaves other operations alone", async () => {
    const sandbox = await start();
    const s3 = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));
    await sandbox.control("POST", "/_sandbox/faults", { service: "s3", operation: "PutBucketPolicy", delayMs: 300 });

    const otherStarted = Date.now();
    await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    const otherMs = Date.now() - otherStarted;
    const started = Date.now();
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: replacementPolicy }));
    const delayedMs = Date.now() - started;
    s3.destroy();

    expect(delayedMs).toBeGreaterThanOrEqual(300);
    expect(otherMs).toBeLessThan(300);
  });

  it("clears faults", async () => {
    const sandbox = await start();
    await sandbox.control("POST", "/_sandbox/faults", { service: "kms", error: { status: 500, code: "KMSInternalException" } });

    const cleared = await sandbox.control("DELETE", "/_sandbox/faults");
    const listed = await sandbox.control("GET", "/_sandbox/faults");

    expect(cleared.status).toBe(200);
    expect(listed.body).toEqual({ faults: [] });
  });

  it("rejects an invalid fault", async () => {
    const sandbox = await start();

    const response = await sandbox.control("POST", "/_sandbox/faults", { service: "ec2", error: { status: 200, code: "" } });

    expect(response.status).toBe(400);
  });

  it("resets to the seed", async () => {
    const sandbox = await start();
    const s3 = new S3Client(sandbox.clientConfig(await sandbox.assumeRole(ROLES.ownerProvisioner)));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET.name, Policy: replacementPolicy }));

    const reset = await sandbox.control("POST", "/_sandbox/reset");
    const output = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET.name }));
    s3.destroy();

    expect(reset.status).toBe(200);
    expect(output.Policy).toContain(FOREIGN_BUCKET_STATEMENT_SID);
    expect(output.Policy).not.toContain("AccessPortalTest");
  });

  it("keeps state across a restart from its file", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sandbox-restart-"));
    try {
      const first = await startTestSandbox({ directory });
      const credentials = await first.assumeRole(ROLES.consumerIdentityCenter);
      const sso = new SSOAdminClient(first.clientConfig(credentials));
      const created = await sso.send(
        new CreatePermissionSetCommand({ InstanceArn: IDENTITY_CENTER.instanceArn, Name: "Persisted", SessionDuration: "PT1H" }),
      );
      sso.destroy();
      await first.close();

      const onDisk = JSON.parse(readFileSync(join(directory, "state.json"), "utf8")) as SandboxState;
      expect(Object.keys(onDisk.identityCenter.permissionSets)).toEqual([created.PermissionSet?.PermissionSetArn]);

      const second = await startTestSandbox({ directory, fresh: false });
      const state = (await second.control("GET", "/_sandbox/state")).body as SandboxState;
      // Sessions persist too, so the credentials issued before the restart still work.
      const again = new SSOAdminClient(second.clientConfig(credentials));
      const duplicate = await failureOf(
        again.send(
          new CreatePermissionSetCommand({ InstanceArn: IDENTITY_CENTER.instanceArn, Name: "Persisted", SessionDuration: "PT1H" }),
        ),
      );
      again.destroy();
      await second.close();

      expect(state.identityCenter.permissionSets[created.PermissionSet?.PermissionSetArn ?? ""]?.name).toBe("Persisted");
      expect(duplicate.name).toBe("ConflictException");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("answers unknown operations with each protocol's error", async () => {
    const sandbox = await start();
    const owner = await sandbox.assumeRole(ROLES.ownerProvisioner);
    const kms = new KMSClient(sandbox.clientConfig(owner));
    const iam = new IAMClient(sandbox.clientConfig(owner));
    const s3 = new S3Client(sandbox.clientConfig(owner));

    const json = await failureOf(kms.send(new ListAliasesCommand({})));
    const query = await failureOf(iam.send(new ListUsersCommand({})));
    const rest = await failureOf(s3.send(new PutBucketTaggingCommand({ Bucket: BUCKET.name, Tagging: { TagSet: [] } })));
    kms.destroy();
    iam.destroy();
    s3.destroy();

    expect(json.name).toBe("UnknownOperationException");
    expect(json.message).toContain("TrentService.ListAliases");
    expect(query.name).toBe("InvalidAction");
    expect(rest.name).toBe("NotImplemented");
    expect(rest.status).toBe(501);
  });
});
