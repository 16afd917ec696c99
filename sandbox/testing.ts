// Helpers for tests that run against a sandbox of their own: a random port,
// a state file in a temporary folder, and SDK client settings for any role.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import pino from "pino";
import { REGION, SANDBOX_CREDENTIALS } from "./scenario";
import { startSandbox, type RunningSandbox } from "./server";

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestSandbox extends RunningSandbox {
  /** Temporary folder holding the state file; removed by `stop`. */
  directory: string;
  /** Client settings signed with the given credentials (default: the portal's IAM user). */
  clientConfig(credentials?: TestCredentials, region?: string): ClientSettings;
  /**
   * Assumes a role with the portal's base credentials (or `as`) and returns
   * the session credentials. Reserved SSO roles need the user name as session name.
   */
  assumeRole(roleArn: string, as?: TestCredentials, sessionName?: string): Promise<TestCredentials>;
  /** Calls the sandbox's control API and returns the parsed JSON body. */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Closes the sandbox and removes its folder. */
  stop(): Promise<void>;
}

export interface ClientSettings {
  region: string;
  endpoint: string;
  credentials: TestCredentials;
  forcePathStyle: boolean;
  maxAttempts: number;
}

export async function startTestSandbox(
  options: { asyncDelayMs?: number; directory?: string; fresh?: boolean } = {},
): Promise<TestSandbox> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), "sandbox-test-"));
  const sandbox = await startSandbox({
    port: 0,
    stateFile: join(directory, "state.json"),
    fresh: options.fresh ?? true,
    asyncDelayMs: options.asyncDelayMs ?? 50,
    logger: pino({ level: "silent" }),
  });

  const clientConfig = (credentials: TestCredentials = SANDBOX_CREDENTIALS, region = REGION): ClientSettings => ({
    region,
    endpoint: sandbox.url,
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });

  return {
    ...sandbox,
    directory,
    clientConfig,
    async assumeRole(roleArn, as, sessionName = "test-session") {
      const sts = new STSClient(clientConfig(as));
      const output = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
      sts.destroy();
      const credentials = output.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
        throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
      }
      return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      };
    },
    async control(method, path, body) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await sandbox.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
