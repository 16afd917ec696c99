import { createHash } from "node:crypto";
import type { CallContext } from "../context";
import { S3_NAMESPACE, ServiceError, type S3Reply } from "../protocol";
import type { BucketRecord, ObjectRecord } from "../state";
import { XML_DECLARATION, leaf, node } from "../xml";
import { authorizeObjectCall } from "./s3-authorize";
import { findBucket, type S3Handler, type S3Request } from "./s3-request";

function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

function encryptionHeaders(object: ObjectRecord): Record<string, string> {
  if (!object.kmsKeyArn) return { "x-amz-server-side-encryption": "AES256" };
  return {
    "x-amz-server-side-encryption": "aws:kms",
    "x-amz-server-side-encryption-aws-kms-key-id": object.kmsKeyArn,
  };
}

function objectHeaders(object: ObjectRecord): Record<string, string> {
  return {
    "content-type": object.contentType,
    etag: object.etag,
    "last-modified": new Date(object.lastModified).toUTCString(),
    ...encryptionHeaders(object),
  };
}

function findObject(bucket: BucketRecord, key: string): ObjectRecord {
  const object = bucket.objects[key];
  if (!object) throw new ServiceError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
  return object;
}

async function getObject(request: S3Request, context: CallContext): Promise<S3Reply> {
  const bucket = findBucket(context, request.bucket ?? "");
  const key = request.key ?? "";
  const object = bucket.objects[key];
  await authorizeObjectCall(context, bucket, "s3:GetObject", objectArn(bucket.name, key), {
    kmsKeyArn: object?.kmsKeyArn ?? null,
  });
  const found = findObject(bucket, key);
  return { headers: objectHeaders(found), body: Buffer.from(found.body, "base64") };
}

async function headObject(request: S3Request, context: CallContext): Promise<S3Reply> {
  const reply = await getObject(request, context);
  return { headers: { ...reply.headers, "content-length": String(reply.body?.length ?? 0) }, body: "" };
}

/**
 * Decodes an `aws-chunked` body: hex chunk sizes (optionally with a chunk
 * signature), chunk data, then optional trailing headers such as a checksum.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf("\r\n", offset);
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString("ascii").split(";")[0] ?? "", 16);
    if (!Number.isFinite(size)) throw new ServiceError("IncompleteBody", "Invalid aws-chunked encoding", 400);
    if (size === 0) break;
    const start = lineEnd + 2;
    chunks.push(body.subarray(start, start + size));
    offset = start + size + 2;
  }
  return Buffer.concat(chunks);
}

function isAwsChunked(request: S3Request): boolean {
  const encoding = String(request.headers["content-encoding"] ?? "");
  const payloadHash = String(request.headers["x-amz-content-sha256"] ?? "");
  return encoding.split(",").some((part) => part.trim() === "aws-chunked") || payloadHash.startsWith("STREAMING-");
}

/** Picks the key S3 encrypts a new object with: the request's headers first, then the bucket default. */
function objectKmsKey(request: S3Request, bucket: BucketRecord): string | null {
  const requested = request.headers["x-amz-server-side-encryption"];
  const requestedKey = request.headers["x-amz-server-side-encryption-aws-kms-key-id"];
  if (requested === "AES256") return null;
  if (typeof requestedKey === "string") return requestedKey;
  if (bucket.encryption?.algorithm === "aws:kms" && bucket.encryption.kmsKeyId) return bucket.encryption.kmsKeyId;
  // SSE-KMS without a key ID and no bucket default uses the account's AWS managed key.
  return requested === "aws:kms" ? `arn:aws:kms:${bucket.region}:${bucket.accountId}:alias/aws/s3` : null;
}

async function putObject(request: S3Request, context: CallContext): Promise<S3Reply> {
  const bucket = findBucket(context, request.bucket ?? "");
  const key = request.key ?? "";
  const requested = request.headers["x-amz-server-side-encryption"];
  const requestedKey = request.headers["x-amz-server-side-encryption-aws-kms-key-id"];
  const kmsKeyArn = objectKmsKey(request, bucket);

  await authorizeObjectCall(context, bucket, "s3:PutObject", objectArn(bucket.name, key), {
    kmsKeyArn,
    encryptionHeader: typeof requested === "string" ? requested : undefined,
    encryptionKeyHeader: typeof requestedKey === "string" ? requestedKey : undefined,
  });

  const body = isAwsChunked(request) ? decodeAwsChunked(request.body) : request.body;
  const object: ObjectRecord = {
    body: body.toString("base64"),
    contentType: String(request.headers["content-type"] ?? "binary/octet-stream"),
    etag: `"${createHash("md5").update(body).digest("hex")}"`,
    lastModified: context.now.toISOString(),
    kmsKeyArn,
  };
  context.store.update(() => {
    bucket.objects[key] = object;
  });
  return { headers: { etag: object.etag, ...encryptionHeaders(object) } };
}

async function deleteObject(request: S3Request, context: CallContext): Promise<S3Reply> {
  const bucket = findBucket(context, request.bucket ?? "");
  const key = request.key ?? "";
  await authorizeObjectCall(context, bucket, "s3:DeleteObject", objectArn(bucket.name, key), { kmsKeyArn: null });
  context.store.update(() => {
    delete bucket.objects[key];
  });
  return { status: 204 };
}

async function listObjectsV2(request: S3Request, context: CallContext): Promise<S3Reply> {
  const bucket = findBucket(context, request.bucket ?? "");
  const prefix = request.query.get("prefix") ?? "";
  const delimiter = request.query.get("delimiter") ?? "";
  const maxKeys = Math.min(Number(request.query.get("max-keys") ?? "1000"), 1000);
  const token = request.query.get("continuation-token");
  const startAfter = token ? Buffer.from(token, "base64url").toString("utf8") : (request.query.get("start-after") ?? "");

  await authorizeObjectCall(context, bucket, "s3:ListBucket", `arn:aws:s3:::${bucket.name}`, {
    kmsKeyArn: null,
    prefix,
    delimiter,
  });

  const keys = Object.keys(bucket.objects)
    .filter((key) => key.startsWith(prefix) && key > startAfter)
    .sort();
  const contents: string[] = [];
  const commonPrefixes = new Set<string>();
  let lastKey = "";
  let truncated = false;
  for (const key of keys) {
    if (contents.length + commonPrefixes.size >= maxKeys) {
      truncated = true;
      break;
    }
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (cut >= 0) commonPrefixes.add(prefix + rest.slice(0, cut + delimiter.length));
    else {
      const object = bucket.objects[key] as ObjectRecord;
      contents.push(
        node(
          "Contents",
          leaf("Key", key),
          leaf("LastModified", object.lastModified),
          leaf("ETag", object.etag),
          leaf("Size", Buffer.from(object.body, "base64").length),
          leaf("StorageClass", "STANDARD"),
        ),
      );
    }
    lastKey = key;
  }

  const body =
    XML_DECLARATION +
    `<ListBucketResult xmlns="${S3_NAMESPACE}">` +
    leaf("Name", bucket.name) +
    leaf("Prefix", prefix) +
    (delimiter ? leaf("Delimiter", delimiter) : "") +
    leaf("MaxKeys", maxKeys) +
    leaf("KeyCount", contents.length + commonPrefixes.size) +
    leaf("IsTruncated", truncated) +
    (truncated ? leaf("NextContinuationToken", Buffer.from(lastKey).toString("base64url")) : "") +
    contents.join("") +
    [...commonPrefixes].map((common) => node("CommonPrefixes", leaf("Prefix", common))).join("") +
    "</ListBucketResult>";
  return { headers: { "content-type": "application/xml" }, body };
}

export const objectOperations: Record<string, S3Handler> = {
  GetObject: getObject,
  HeadObject: headObject,
  PutObject: putObject,
  DeleteObject: deleteObject,
  ListObjectsV2: listObjectsV2,
};
