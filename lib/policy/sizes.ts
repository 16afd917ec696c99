import { PolicyValidationError } from "./errors";
import type { DocumentSize, InlinePolicySize, PolicyDocument } from "./types";

/** S3 bucket policies: 20 KB. */
export const BUCKET_POLICY_LIMIT_BYTES = 20 * 1024;
/** KMS key policies: 32 KB. */
export const KEY_POLICY_LIMIT_BYTES = 32 * 1024;
/** IAM Identity Center inline policy: 32,768 characters in all (PutInlinePolicyToPermissionSet). */
export const INLINE_POLICY_LIMIT_BYTES = 32_768;
/** IAM role inline policies: 10,240 characters, white space not counted. */
export const INLINE_POLICY_LIMIT_WITHOUT_WHITESPACE = 10_240;

/**
 * Serializes a policy the way the portal writes it: compact JSON. Sizes are
 * measured on this text, so writers must send exactly this.
 */
export function serializePolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function measureDocument(document: PolicyDocument, limit: number): DocumentSize {
  return { bytes: utf8Bytes(serializePolicy(document)), limit };
}

// Counts UTF-8 bytes, which is at least the character count AWS states its
// limits in, so a document that passes here is not too large for AWS.
export function measureInlinePolicy(document: PolicyDocument): InlinePolicySize {
  const text = serializePolicy(document);
  return {
    bytes: utf8Bytes(text),
    limit: INLINE_POLICY_LIMIT_BYTES,
    bytesWithoutWhitespace: utf8Bytes(text.replace(/\s/g, "")),
    limitWithoutWhitespace: INLINE_POLICY_LIMIT_WITHOUT_WHITESPACE,
  };
}

function formatBytes(bytes: number): string {
  return bytes.toLocaleString("en-US");
}

/** Rejects a document over its limit, with the size and the limit in the message. */
export function assertWithinLimit(field: string, documentName: string, bytes: number, limit: number, unit = "bytes"): void {
  if (bytes <= limit) return;
  throw new PolicyValidationError(
    field,
    `the ${documentName} would be ${formatBytes(bytes)} ${unit}, over its limit of ${formatBytes(limit)} ${unit}. ` +
      "Remove datasets or grants from this bucket, or split them over more permission sets.",
    "policy-too-large",
    { bytes, limit },
  );
}
