import type { AccessLevel } from "./types";

/** Every statement the portal owns has a Sid that starts with this. */
export const MANAGED_SID_PREFIX = "AccessPortal";

export function isManagedSid(sid: unknown): sid is string {
  return typeof sid === "string" && sid.startsWith(MANAGED_SID_PREFIX);
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: short, stable, no I/O. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

const LABEL_MAX_CHARACTERS = 24;

/**
 * Builds the readable part of a Sid from a name: its ASCII words in
 * PascalCase, then a hash of the whole name so that two names that read alike
 * ("client-data/" and "client_data/") still get different Sids.
 */
export function sidLabel(name: string, hashInput: string = name): string {
  const words = name.match(/[A-Za-z0-9]+/g) ?? [];
  const readable = words
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("")
    .slice(0, LABEL_MAX_CHARACTERS);
  return `${readable}${shortHash(hashInput)}`;
}

export function levelWord(access: AccessLevel): "Read" | "ReadWrite" {
  return access === "read" ? "Read" : "ReadWrite";
}

export interface AwsPartition {
  name: string;
  /** DNS suffix of service endpoints, for kms:ViaService. */
  dnsSuffix: string;
}

export function partitionOfKeyArn(keyArn: string): AwsPartition {
  const name = keyArn.split(":")[1] ?? "aws";
  return { name, dnsSuffix: name === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com" };
}

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

export function prefixObjectsArn(partition: string, bucket: string, prefix: string): string {
  return `arn:${partition}:s3:::${bucket}/${prefix}*`;
}

export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function s3ViaService(region: string, partition: AwsPartition): string {
  return `s3.${region}.${partition.dnsSuffix}`;
}

/**
 * Returns the ArnLike pattern for the roles IAM Identity Center creates for one
 * permission set. The leading `*` covers both role paths, with a Region segment
 * and without one when the home Region is us-east-1. The sixteen `?` match the
 * role's suffix, so permission set "N_Admin" does not match "N".
 */
export function permissionSetRolePattern(partition: string, accountId: string, permissionSetName: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSetName}_????????????????`;
}

const ROLE_PATTERN = /^arn:([a-z-]+):iam::(\d{12}):role\/aws-reserved\/sso\.amazonaws\.com\/\*AWSReservedSSO_([\w+=,.@-]{1,32})_\?{16}$/;

export function parsePermissionSetRolePattern(
  pattern: string,
): { partition: string; consumerAccountId: string; permissionSetName: string } | null {
  const match = ROLE_PATTERN.exec(pattern);
  if (!match) return null;
  const [, partition = "", consumerAccountId = "", permissionSetName = ""] = match;
  return { partition, consumerAccountId, permissionSetName };
}
