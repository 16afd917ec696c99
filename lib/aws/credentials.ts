import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { toAwsCallError } from "./errors";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** The provider shape that every SDK v3 client accepts as `credentials`. */
export type CredentialProvider = () => Promise<Credentials>;

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface AssumeRoleOptions {
  roleArn: string;
  sessionName: string;
  region: string;
  endpoint?: string | undefined;
  /** Credentials that call AssumeRole; absent means the SDK's default provider chain. */
  baseCredentials?: Credentials | undefined;
  maxAttempts: number;
  durationSeconds?: number;
}

/**
 * Returns a provider of credentials for a role, from STS AssumeRole. The
 * credentials are cached until five minutes before they expire, and callers
 * that ask at the same time share one AssumeRole call. A failure becomes an
 * AwsCallError of sts AssumeRole.
 */
export function assumeRoleProvider(options: AssumeRoleOptions): CredentialProvider {
  const sts = new STSClient({
    region: options.region,
    maxAttempts: options.maxAttempts,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.baseCredentials ? { credentials: options.baseCredentials } : {}),
  });
  let cached: Credentials | null = null;
  let pending: Promise<Credentials> | null = null;

  const assume = async (): Promise<Credentials> => {
    let credentials;
    try {
      const output = await sts.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: options.sessionName,
          DurationSeconds: options.durationSeconds ?? 3600,
        }),
      );
      credentials = output.Credentials;
    } catch (error) {
      throw toAwsCallError("sts", "AssumeRole", error);
    }
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new Error(`STS AssumeRole of ${options.roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  };

  return async () => {
    const fresh = cached?.expiration && cached.expiration.getTime() - REFRESH_MARGIN_MS > Date.now();
    if (cached && fresh) return cached;
    pending ??= assume().finally(() => {
      pending = null;
    });
    cached = await pending;
    return cached;
  };
}
