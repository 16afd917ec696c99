import type { CallContext } from "../context";
import { checkPolicy, minifiedLength } from "../policy-check";
import { S3_NAMESPACE, ServiceError, type S3Reply } from "../protocol";
import type { BucketRecord } from "../state";
import { XML_DECLARATION, leaf, node } from "../xml";
import { findBucket, findOwnedBucket, type S3Handler, type S3Request } from "./s3-request";
import { isPublicPolicy } from "./s3-public";
import { objectOperations } from "./s3-objects";

/**
 * Bucket policy size limit: 20 KB, measured without white space. Users
 * report that S3 accepts indented documents whose raw size is over 20 KB.
 */
const MAX_BUCKET_POLICY_BYTES = 20_480;

function xmlReply(root: string, ...children: string[]): S3Reply {
  return {
    headers: { "content-type": "application/xml" },
    body: XML_DECLARATION + `<${root} xmlns="${S3_NAMESPACE}">${children.join("")}</${root}>`,
  };
}

function bucketName(request: S3Request): string {
  return request.bucket ?? "";
}

function noSuchPolicy(bucket: BucketRecord): ServiceError {
  return new ServiceError("NoSuchBucketPolicy", "The bucket policy does not exist", 404, { BucketName: bucket.name });
}

function getBucketPolicy(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  if (bucket.policy === null) throw noSuchPolicy(bucket);
  return { headers: { "content-type": "application/json" }, body: bucket.policy };
}

function malformed(message: string): ServiceError {
  return new ServiceError("MalformedPolicy", message, 400);
}

function putBucketPolicy(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  const text = request.body.toString("utf8");
  const check = checkPolicy(text, "bucket", context.store.state, bucket.name);
  if (!check.ok) throw malformed(check.message);

  const size = minifiedLength(check.document);
  if (size > MAX_BUCKET_POLICY_BYTES) {
    // NOTE: the code AWS returns here is unconfirmed. MinIO and other
    // S3-compatible servers return PolicyTooLarge with this message, while
    // some emulators use MalformedPolicy. Callers should check the size first.
    throw new ServiceError(
      "PolicyTooLarge",
      `Policy exceeds the maximum allowed document size: ${size} bytes without white space, the limit is ${MAX_BUCKET_POLICY_BYTES}`,
      400,
    );
  }

  context.store.update(() => {
    bucket.policy = text;
  });
  return { status: 204 };
}

function deleteBucketPolicy(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  context.store.update(() => {
    bucket.policy = null;
  });
  return { status: 204 };
}

function getBucketPolicyStatus(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  if (bucket.policy === null) throw noSuchPolicy(bucket);
  const check = checkPolicy(bucket.policy, "bucket", context.store.state, bucket.name);
  const isPublic = check.ok && isPublicPolicy(check.statements);
  return xmlReply("PolicyStatus", leaf("IsPublic", isPublic));
}

function getBucketEncryption(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  // S3 encrypts with SSE-S3 when a bucket has no encryption configuration of its own.
  const encryption = bucket.encryption ?? { algorithm: "AES256", bucketKeyEnabled: false };
  return xmlReply(
    "ServerSideEncryptionConfiguration",
    node(
      "Rule",
      node(
        "ApplyServerSideEncryptionByDefault",
        leaf("SSEAlgorithm", encryption.algorithm),
        leaf("KMSMasterKeyID", encryption.kmsKeyId),
      ),
      leaf("BucketKeyEnabled", encryption.bucketKeyEnabled),
    ),
  );
}

function xmlText(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

function putBucketEncryption(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  const xml = request.body.toString("utf8");
  const algorithm = xmlText(xml, "SSEAlgorithm");
  if (algorithm !== "AES256" && algorithm !== "aws:kms") {
    throw new ServiceError("MalformedXML", "SSEAlgorithm must be AES256 or aws:kms", 400);
  }
  const kmsKeyId = xmlText(xml, "KMSMasterKeyID");
  context.store.update(() => {
    bucket.encryption = {
      algorithm,
      bucketKeyEnabled: xmlText(xml, "BucketKeyEnabled") === "true",
      ...(algorithm === "aws:kms" && kmsKeyId ? { kmsKeyId } : {}),
    };
  });
  return {};
}

function getBucketOwnershipControls(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request));
  if (bucket.objectOwnership === null) {
    throw new ServiceError(
      "OwnershipControlsNotFoundError",
      "The bucket ownership controls were not found",
      404,
      { BucketName: bucket.name },
    );
  }
  return xmlReply("OwnershipControls", node("Rule", leaf("ObjectOwnership", bucket.objectOwnership)));
}

function getBucketLocation(request: S3Request, context: CallContext): S3Reply {
  const bucket = findOwnedBucket(context, bucketName(request), false);
  // S3 reports us-east-1 as an empty location constraint.
  const location = bucket.region === "us-east-1" ? "" : bucket.region;
  return xmlReply("LocationConstraint", location);
}

function headBucket(request: S3Request, context: CallContext): S3Reply {
  const bucket = findBucket(context, bucketName(request), false);
  return { headers: { "x-amz-bucket-region": bucket.region } };
}

function listBuckets(_request: S3Request, context: CallContext): S3Reply {
  const buckets = Object.values(context.store.state.buckets).filter(
    (bucket) => bucket.accountId === context.principal.accountId,
  );
  return xmlReply(
    "ListAllMyBucketsResult",
    node("Owner", leaf("ID", context.principal.accountId)),
    node(
      "Buckets",
      ...buckets.map((bucket) =>
        node(
          "Bucket",
          leaf("Name", bucket.name),
          leaf("CreationDate", bucket.createdDate),
          leaf("BucketRegion", bucket.region),
        ),
      ),
    ),
  );
}

export const s3Operations: Record<string, S3Handler> = {
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  GetBucketEncryption: getBucketEncryption,
  PutBucketEncryption: putBucketEncryption,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  GetBucketLocation: getBucketLocation,
  HeadBucket: headBucket,
  ListBuckets: listBuckets,
  ...objectOperations,
};
