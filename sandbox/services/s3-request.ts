import type { IncomingHttpHeaders } from "node:http";
import type { CallContext } from "../context";
import { ServiceError, type S3Reply } from "../protocol";
import type { BucketRecord } from "../state";

export interface S3Request {
  method: string;
  bucket: string | null;
  key: string | null;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type S3Handler = (request: S3Request, context: CallContext) => S3Reply | Promise<S3Reply>;

/** Splits a path-style URL (`/bucket/key`) into bucket and key. */
export function parseS3Path(url: URL): { bucket: string | null; key: string | null } {
  const path = url.pathname.replace(/^\/+/, "");
  if (path === "") return { bucket: null, key: null };
  const slash = path.indexOf("/");
  if (slash === -1) return { bucket: decodeURIComponent(path), key: null };
  const key = path.slice(slash + 1);
  return { bucket: decodeURIComponent(path.slice(0, slash)), key: key === "" ? null : decodeURIComponent(key) };
}

// Bucket subresources that select an operation, in the order they are checked.
const BUCKET_SUBRESOURCES: Record<string, Partial<Record<string, string>>> = {
  policyStatus: { GET: "GetBucketPolicyStatus" },
  policy: { GET: "GetBucketPolicy", PUT: "PutBucketPolicy", DELETE: "DeleteBucketPolicy" },
  encryption: { GET: "GetBucketEncryption", PUT: "PutBucketEncryption" },
  ownershipControls: { GET: "GetBucketOwnershipControls" },
  location: { GET: "GetBucketLocation" },
};

/** Names the S3 operation of a request from its method, path and subresource, or null when unsupported. */
export function resolveS3Operation(request: Pick<S3Request, "method" | "bucket" | "key" | "query" | "headers">): string | null {
  const { method, bucket, key, query } = request;
  if (!bucket) return method === "GET" ? "ListBuckets" : null;
  if (key === null) {
    for (const [subresource, operations] of Object.entries(BUCKET_SUBRESOURCES)) {
      if (query.has(subresource)) return operations[method] ?? null;
    }
    if (method === "GET" && query.get("list-type") === "2") return "ListObjectsV2";
    if (method === "HEAD") return "HeadBucket";
    return null;
  }
  if ([...query.keys()].some((name) => name !== "x-id" && !name.startsWith("X-Amz-") && !name.startsWith("response-"))) {
    return null;
  }
  if (method === "GET") return "GetObject";
  if (method === "HEAD") return "HeadObject";
  if (method === "PUT") return request.headers["x-amz-copy-source"] ? null : "PutObject";
  if (method === "DELETE") return "DeleteObject";
  return null;
}

/** Finds a bucket; calls signed for another Region fail as they do against S3's regional endpoints. */
export function findBucket(context: CallContext, name: string, checkRegion = true): BucketRecord {
  const bucket = context.store.state.buckets[name];
  if (!bucket) {
    throw new ServiceError("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: name });
  }
  if (checkRegion && bucket.region !== context.region) {
    throw new ServiceError(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; the region '${context.region}' is wrong; expecting '${bucket.region}'`,
      400,
      { Region: bucket.region },
    );
  }
  return bucket;
}

/**
 * Finds a bucket for a configuration call, which only the bucket owner's
 * account may make. S3 returns 405 to another account that has the
 * permission. The sandbox models no such permission and returns 403.
 */
export function findOwnedBucket(context: CallContext, name: string, checkRegion = true): BucketRecord {
  const bucket = findBucket(context, name, checkRegion);
  if (bucket.accountId !== context.principal.accountId) {
    throw new ServiceError("AccessDenied", "Access Denied", 403);
  }
  return bucket;
}
