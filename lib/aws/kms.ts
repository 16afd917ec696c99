import { DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { callAws, type CallOptions } from "./call";
import type { AwsContext } from "./context";

export interface KeyDescription {
  arn: string;
  /** CUSTOMER or AWS; only a customer managed key can be shared with another account. */
  keyManager: string;
  keyState: string;
  multiRegion: boolean;
  requestId: string;
}

export async function describeKey(context: AwsContext, keyArn: string, options?: CallOptions): Promise<KeyDescription> {
  const { output, requestId } = await callAws(
    context,
    "kms",
    "DescribeKey",
    (sendOptions) => context.owner.kms.send(new DescribeKeyCommand({ KeyId: keyArn }), sendOptions),
    options,
  );
  const metadata = output.KeyMetadata;
  return {
    arn: metadata?.Arn ?? keyArn,
    keyManager: metadata?.KeyManager ?? "UNKNOWN",
    keyState: metadata?.KeyState ?? "UNKNOWN",
    multiRegion: metadata?.MultiRegion ?? false,
    requestId,
  };
}

/** Returns the key policy; KMS keys have exactly one, named "default". */
export async function getKeyPolicy(
  context: AwsContext,
  keyArn: string,
  options?: CallOptions,
): Promise<{ policy: string; requestId: string }> {
  const { output, requestId } = await callAws(
    context,
    "kms",
    "GetKeyPolicy",
    (sendOptions) => context.owner.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }), sendOptions),
    options,
  );
  return { policy: output.Policy ?? "", requestId };
}

/**
 * Replaces the key policy. KMS's lockout safety check stays on: a policy
 * that would stop the caller from changing it again is rejected.
 */
export async function putKeyPolicy(
  context: AwsContext,
  keyArn: string,
  policyJson: string,
  options?: CallOptions,
): Promise<{ requestId: string }> {
  const { requestId } = await callAws(
    context,
    "kms",
    "PutKeyPolicy",
    (sendOptions) =>
      context.owner.kms.send(
        new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default", Policy: policyJson }),
        sendOptions,
      ),
    options,
  );
  return { requestId };
}
