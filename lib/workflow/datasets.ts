import type { z } from "zod";
import { getDb } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { getAws } from "@/lib/workflow/aws";
import type { registerDatasetSchema } from "@/lib/workflow/schemas";

/**
 * Registers a dataset of the administrator's owner account after checking in AWS
 * that its key is a customer managed key of that account and that the bucket's
 * default encryption names the key by its full ARN.
 */
export async function registerDataset(actor: Actor, input: z.infer<typeof registerDatasetSchema>) {
  if (!actor.roles.includes("ADMINISTRATOR")) throw new AppError("FORBIDDEN", "Only administrators can register datasets.");
  const db = getDb();
  const keyAccount = input.kmsKeyArn.split(":")[4];
  if (keyAccount !== actor.accountId) {
    throw new AppError("INVALID_INPUT", `must be a key of your owner account ${actor.accountId}`, { field: "kmsKeyArn" });
  }
  const consumer = await db.awsAccount.findUnique({ where: { id: input.consumerAccountId } });
  if (!consumer || consumer.kind !== "CONSUMER") {
    throw new AppError("INVALID_INPUT", "must be a registered consumer account", { field: "consumerAccountId" });
  }
  const duplicate = await db.dataset.findFirst({ where: { OR: [{ name: input.name }, { bucketName: input.bucketName, prefix: input.prefix }] } });
  if (duplicate) throw new AppError("CONFLICT", `Dataset ${duplicate.name} already uses this name or folder.`);

  // A grant on a folder reaches every folder below it, so datasets of one bucket must not nest.
  const sameBucket = await db.dataset.findMany({ where: { bucketName: input.bucketName } });
  const nested = sameBucket.find((other) => other.prefix.startsWith(input.prefix) || input.prefix.startsWith(other.prefix));
  if (nested) {
    throw new AppError("INVALID_INPUT", `must not contain or lie inside ${nested.prefix}, the folder of dataset ${nested.name}`, { field: "prefix" });
  }
  // A permission set's role reaches every dataset that uses the set, so each dataset needs its own.
  for (const field of ["readPermissionSetName", "readWritePermissionSetName"] as const) {
    const name = input[field];
    const user = await db.dataset.findFirst({ where: { OR: [{ readPermissionSetName: name }, { readWritePermissionSetName: name }] } });
    if (user) throw new AppError("INVALID_INPUT", `must not be ${name}, which dataset ${user.name} uses already`, { field });
  }

  const aws = getAws();
  const key = await aws.describeKey(input.kmsKeyArn).catch(() => null);
  if (!key) throw new AppError("INVALID_INPUT", "was not found in KMS", { field: "kmsKeyArn" });
  if (key.keyManager !== "CUSTOMER") {
    throw new AppError("INVALID_INPUT", "must be a customer managed key; an AWS managed key cannot be shared with another account", { field: "kmsKeyArn" });
  }
  const encryption = await aws.getBucketEncryption(input.bucketName).catch(() => null);
  if (!encryption) throw new AppError("INVALID_INPUT", "was not found, or has no default encryption", { field: "bucketName" });
  if (encryption.algorithm !== "aws:kms" || encryption.kmsKeyArn !== input.kmsKeyArn) {
    throw new AppError("INVALID_INPUT", "must use SSE-KMS with this key, named by its full ARN, as default encryption", { field: "bucketName" });
  }

  return db.$transaction(async (tx) => {
    const dataset = await tx.dataset.create({
      data: {
        ...input,
        bucketKeyEnabled: encryption.bucketKeyEnabled,
        ownerAccountId: actor.accountId,
      },
    });
    await recordAudit(tx, { action: "dataset.registered", actor: { id: actor.id, email: actor.email }, subjectType: "dataset", subjectId: dataset.id, data: { ...input } });
    return dataset;
  });
}
