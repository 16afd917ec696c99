import { z } from "zod";
import {
  CONSUMER_ACCOUNT,
  IDENTITY_CENTER,
  OWNER_ACCOUNT,
  REGION,
  ROLES,
  SANDBOX_ACCESS_KEY_PREFIX,
  SANDBOX_CREDENTIALS,
} from "@/sandbox/scenario";

const accountIdSchema = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account ID");
const regionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS Region such as us-east-2");
const roleArnSchema = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN");

const accountSchema = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
  /** Role the portal assumes to act in this account; without it, the base credentials are used. */
  roleArn: roleArnSchema.optional(),
});

export const awsConfigSchema = z.object({
  /** True when the clients talk to the local sandbox. */
  sandbox: z.boolean(),
  /** Endpoint for every client, such as the sandbox URL; absent means AWS's own endpoints. */
  endpoint: z.url().optional(),
  owner: accountSchema,
  consumer: accountSchema,
  identityCenter: z.object({
    instanceArn: z.string().regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, "must be an Identity Center instance ARN"),
    identityStoreId: z.string().regex(/^d-[0-9a-f]{10}$|^[0-9a-f-]{36}$/, "must be an identity store ID"),
    /** Home Region of the Identity Center instance. */
    region: regionSchema,
  }),
  /** Base credentials; absent means the SDK's default provider chain. */
  credentials: z
    .object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().optional() })
    .optional(),
  roleSessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/),
  poll: z.object({
    /** First wait between status checks, in milliseconds; later waits grow by half each time. */
    intervalMs: z.number().int().min(1),
    maxIntervalMs: z.number().int().min(1),
    /** Total time to wait for an asynchronous request before giving up, in milliseconds. */
    timeoutMs: z.number().int().min(1),
  }),
  /** Attempts per call including the first, for the SDK's standard retry strategy. */
  maxAttempts: z.number().int().min(1).max(10),
});

export type AwsConfig = z.infer<typeof awsConfigSchema>;

const integerText = z
  .string()
  .regex(/^\d+$/, "must be a whole number")
  .transform(Number)
  .optional();

const envSchema = z.object({
  SANDBOX: z.enum(["0", "1", "true", "false"]).optional(),
  SANDBOX_PORT: integerText,
  SANDBOX_ACCESS_KEY_ID: z
    .string()
    .startsWith(SANDBOX_ACCESS_KEY_PREFIX, `must start with ${SANDBOX_ACCESS_KEY_PREFIX}, so that no real key is sent to the sandbox`)
    .optional(),
  SANDBOX_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  OWNER_ACCOUNT_ID: z.string().optional(),
  OWNER_REGION: z.string().optional(),
  OWNER_ROLE_ARN: z.string().optional(),
  CONSUMER_ACCOUNT_ID: z.string().optional(),
  CONSUMER_REGION: z.string().optional(),
  CONSUMER_ROLE_ARN: z.string().optional(),
  SSO_INSTANCE_ARN: z.string().optional(),
  IDENTITY_STORE_ID: z.string().optional(),
  SSO_REGION: z.string().optional(),
  AWS_ROLE_SESSION_NAME: z.string().optional(),
  AWS_POLL_INTERVAL_MS: integerText,
  AWS_POLL_MAX_INTERVAL_MS: integerText,
  AWS_POLL_TIMEOUT_MS: integerText,
  AWS_MAX_ATTEMPTS: integerText,
});

/** Environment variable behind each configuration field, so that errors name what to set. */
const ENV_NAMES: Record<string, string> = {
  endpoint: "AWS_ENDPOINT_URL",
  "owner.accountId": "OWNER_ACCOUNT_ID",
  "owner.region": "OWNER_REGION",
  "owner.roleArn": "OWNER_ROLE_ARN",
  "consumer.accountId": "CONSUMER_ACCOUNT_ID",
  "consumer.region": "CONSUMER_REGION",
  "consumer.roleArn": "CONSUMER_ROLE_ARN",
  "identityCenter.instanceArn": "SSO_INSTANCE_ARN",
  "identityCenter.identityStoreId": "IDENTITY_STORE_ID",
  "identityCenter.region": "SSO_REGION",
  roleSessionName: "AWS_ROLE_SESSION_NAME",
  "poll.intervalMs": "AWS_POLL_INTERVAL_MS",
  "poll.maxIntervalMs": "AWS_POLL_MAX_INTERVAL_MS",
  "poll.timeoutMs": "AWS_POLL_TIMEOUT_MS",
  maxAttempts: "AWS_MAX_ATTEMPTS",
};

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join(".");
      const name = ENV_NAMES[path] ?? (path || "config");
      const missing = issue.code === "invalid_type" && issue.input === undefined;
      return `${name} ${missing ? "is required" : issue.message}`;
    })
    .join("; ");
}

/** Builds the configuration of the seeded sandbox scenario for a sandbox listening at `endpoint`. */
export function sandboxAwsConfig(endpoint: string, overrides: Partial<AwsConfig> = {}): AwsConfig {
  return awsConfigSchema.parse({
    sandbox: true,
    endpoint,
    owner: { accountId: OWNER_ACCOUNT.id, region: REGION, roleArn: ROLES.ownerProvisioner },
    consumer: { accountId: CONSUMER_ACCOUNT.id, region: REGION, roleArn: ROLES.consumerIdentityCenter },
    identityCenter: {
      instanceArn: IDENTITY_CENTER.instanceArn,
      identityStoreId: IDENTITY_CENTER.identityStoreId,
      region: IDENTITY_CENTER.region,
    },
    credentials: { ...SANDBOX_CREDENTIALS },
    roleSessionName: "access-portal",
    poll: { intervalMs: 100, maxIntervalMs: 1000, timeoutMs: 30_000 },
    maxAttempts: 3,
    ...overrides,
  });
}

/**
 * Reads the AWS configuration from environment variables. With SANDBOX=1
 * every value defaults to the seeded sandbox scenario and the sandbox-only
 * credentials; otherwise the accounts, roles and Identity Center instance
 * are required and credentials come from the SDK's default provider chain.
 */
export function loadAwsConfig(env: Record<string, string | undefined> = process.env): AwsConfig {
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) throw new Error(`Invalid AWS environment: ${formatIssues(parsedEnv.error)}`);
  const vars = parsedEnv.data;
  const sandbox = vars.SANDBOX === "1" || vars.SANDBOX === "true";

  const defaults = sandbox
    ? sandboxAwsConfig(vars.AWS_ENDPOINT_URL ?? `http://127.0.0.1:${vars.SANDBOX_PORT ?? 4566}`)
    : undefined;
  const pollDefaults = defaults?.poll ?? { intervalMs: 2000, maxIntervalMs: 15_000, timeoutMs: 300_000 };
  const ownerRegion = vars.OWNER_REGION ?? defaults?.owner.region;
  const consumerRegion = vars.CONSUMER_REGION ?? defaults?.consumer.region;

  const candidate = {
    sandbox,
    endpoint: vars.AWS_ENDPOINT_URL ?? defaults?.endpoint,
    owner: {
      accountId: vars.OWNER_ACCOUNT_ID ?? defaults?.owner.accountId,
      region: ownerRegion,
      roleArn: vars.OWNER_ROLE_ARN ?? defaults?.owner.roleArn,
    },
    consumer: {
      accountId: vars.CONSUMER_ACCOUNT_ID ?? defaults?.consumer.accountId,
      region: consumerRegion,
      roleArn: vars.CONSUMER_ROLE_ARN ?? defaults?.consumer.roleArn,
    },
    identityCenter: {
      instanceArn: vars.SSO_INSTANCE_ARN ?? defaults?.identityCenter.instanceArn,
      identityStoreId: vars.IDENTITY_STORE_ID ?? defaults?.identityCenter.identityStoreId,
      region: vars.SSO_REGION ?? consumerRegion,
    },
    credentials: sandbox
      ? {
          accessKeyId: vars.SANDBOX_ACCESS_KEY_ID ?? SANDBOX_CREDENTIALS.accessKeyId,
          secretAccessKey: vars.SANDBOX_SECRET_ACCESS_KEY ?? SANDBOX_CREDENTIALS.secretAccessKey,
        }
      : undefined,
    roleSessionName: vars.AWS_ROLE_SESSION_NAME ?? "access-portal",
    poll: {
      intervalMs: vars.AWS_POLL_INTERVAL_MS ?? pollDefaults.intervalMs,
      maxIntervalMs: vars.AWS_POLL_MAX_INTERVAL_MS ?? pollDefaults.maxIntervalMs,
      timeoutMs: vars.AWS_POLL_TIMEOUT_MS ?? pollDefaults.timeoutMs,
    },
    maxAttempts: vars.AWS_MAX_ATTEMPTS ?? 3,
  };

  const parsed = awsConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const hint = sandbox ? "" : " (set SANDBOX=1 to use the local sandbox's scenario instead)";
    throw new Error(`Invalid AWS configuration: ${formatIssues(parsed.error)}${hint}`);
  }
  if (!sandbox && (!parsed.data.owner.roleArn || !parsed.data.consumer.roleArn)) {
    throw new Error("Invalid AWS configuration: OWNER_ROLE_ARN and CONSUMER_ROLE_ARN are required outside the sandbox");
  }
  return parsed.data;
}
