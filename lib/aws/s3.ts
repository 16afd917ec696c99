import {
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { callAws, type CallOptions } from "./call";
import type { AwsContext } from "./context";
import { AwsCallError } from "./errors";

/** Returns the bucket policy, or null when the bucket has none (S3's NoSuchBucketPolicy). */
export async function getBucketPolicy(
  context: AwsContext,
  bucket: string,
  options?: CallOptions,
): Promise<{ policy: string | null; requestId: string | null }> {
  try {
    const { output, requestId } = await callAws(
      context,
      "s3",
      "GetBucketPolicy",
      (sendOptions) => context.owner.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }), sendOptions),
      options,
    );
    return { policy: output.Policy ?? null, requestId };
  } catch (error) {
    if (error instanceof AwsCallError && error.code === "NoSuchBucketPolicy") {
      return { policy: null, requestId: error.requestId };
    }
    throw error;
  }
}

/** Replaces the whole bucket policy. */
export async function putBucketPolicy(
  context: AwsContext,
  bucket: string,
  policyJson: string,
  options?: CallOptions,
): Promise<{ requestId: string }> {
  const { requestId } = await callAws(
    context,
    "s3",
    "PutBucketPolicy",
    (sendOptions) => context.owner.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyJson }), sendOptions),
    options,
  );
  return { requestId };
}

export async function deleteBucketPolicy(
  context: AwsContext,
  bucket: string,
  options?: CallOptions,
): Promise<{ requestId: string }> {
  const { requestId } = await callAws(
    context,
    "s3",
    "DeleteBucketPolicy",
    (sendOptions) => context.owner.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }), sendOptions),
    options,
  );
  return { requestId };
}

/** Returns whether S3 considers the bucket policy public; a bucket without a policy is not public. */
export async function getBucketPolicyStatus(
  context: AwsContext,
  bucket: string,
  options?: CallOptions,
): Promise<{ isPublic: boolean; requestId: string | null }> {
  try {
    const { output, requestId } = await callAws(
      context,
      "s3",
      "GetBucketPolicyStatus",
      (sendOptions) => context.owner.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }), sendOptions),
      options,
    );
    return { isPublic: output.PolicyStatus?.IsPublic ?? false, requestId };
  } catch (error) {
    if (error instanceof AwsCallError && error.code === "NoSuchBucketPolicy") {
      return { isPublic: false, requestId: error.requestId };
    }
    throw error;
  }
}

export interface BucketEncryption {
  /** SSEAlgorithm: aws:kms, aws:kms:dsse or AES256. */
  algorithm: string;
  /** The key as configured (ARN, key ID or alias), or null for SSE-S3. */
  kmsKeyArn: string | null;
  bucketKeyEnabled: boolean;
  requestId: string;
}

/** Returns the bucket's default encryption, from its first rule. */
export async function getBucketEncryption(
  context: AwsContext,
  bucket: string,
  options?: CallOptions,
): Promise<BucketEncryption> {
  const { output, requestId } = await callAws(
    context,
    "s3",
    "GetBucketEncryption",
    (sendOptions) => context.owner.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }), sendOptions),
    options,
  );
  const rule = output.ServerSideEncryptionConfiguration?.Rules?.[0];
  return {
    algorithm: rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? "AES256",
    kmsKeyArn: rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null,
    bucketKeyEnabled: rule?.BucketKeyEnabled ?? false,
    requestId,
  };
}
