import { IAMClient } from "@aws-sdk/client-iam";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { STSClient } from "@aws-sdk/client-sts";
import type { Logger } from "pino";
import type { AwsConfig } from "./config";
import { assumeRoleProvider, type CredentialProvider, type Credentials } from "./credentials";

/** IAM is a global service that signs in us-east-1. */
const IAM_REGION = "us-east-1";

export interface AwsContext {
  config: AwsConfig;
  log: Logger | null;
  owner: { accountId: string; s3: S3Client; kms: KMSClient; iam: IAMClient; sts: STSClient };
  consumer: {
    accountId: string;
    ssoAdmin: SSOAdminClient;
    identityStore: IdentitystoreClient;
    iam: IAMClient;
    sts: STSClient;
  };
  /** Closes the clients' connections. */
  destroy(): void;
}

function credentialsFor(config: AwsConfig, account: AwsConfig["owner"]): Credentials | CredentialProvider | undefined {
  if (!account.roleArn) return config.credentials;
  return assumeRoleProvider({
    roleArn: account.roleArn,
    sessionName: config.roleSessionName,
    region: account.region,
    endpoint: config.endpoint,
    baseCredentials: config.credentials,
    maxAttempts: config.maxAttempts,
  });
}

/**
 * Creates the SDK clients of both accounts. Each account's clients sign with
 * the credentials of its role (STS AssumeRole, cached until expiry), and with
 * an endpoint in the configuration every client is sent there, S3 in path
 * style.
 */
export function createAwsContext(config: AwsConfig, options: { logger?: Logger } = {}): AwsContext {
  const common = {
    maxAttempts: config.maxAttempts,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  };
  const ownerBase = { ...common, region: config.owner.region, credentials: credentialsFor(config, config.owner) };
  const consumerCredentials = credentialsFor(config, config.consumer);
  const consumerBase = { ...common, region: config.consumer.region, credentials: consumerCredentials };

  const owner = {
    accountId: config.owner.accountId,
    s3: new S3Client({ ...ownerBase, forcePathStyle: Boolean(config.endpoint) }),
    kms: new KMSClient(ownerBase),
    iam: new IAMClient({ ...ownerBase, region: IAM_REGION }),
    sts: new STSClient(ownerBase),
  };
  const consumer = {
    accountId: config.consumer.accountId,
    ssoAdmin: new SSOAdminClient({ ...consumerBase, region: config.identityCenter.region }),
    identityStore: new IdentitystoreClient({ ...consumerBase, region: config.identityCenter.region }),
    iam: new IAMClient({ ...consumerBase, region: IAM_REGION }),
    sts: new STSClient(consumerBase),
  };

  return {
    config,
    log: options.logger ?? null,
    owner,
    consumer,
    destroy: () => {
      for (const client of [...Object.values(owner), ...Object.values(consumer)]) {
        if (typeof client === "object") client.destroy();
      }
    },
  };
}
