import type { Tx } from "@/lib/db";
import type { Db } from "@/lib/db";
import type { AccessLevel as DbAccessLevel } from "@/lib/generated/prisma/enums";
import type { AccessLevel, PlanInput, PolicyDocument } from "@/lib/policy";

// Sessions issued before a revoke can live for the permission set's session duration;
// the margin covers clock skew between Identity Center and S3.
export const SESSION_DENY_MARGIN_MS = 5 * 60 * 1000;

export function toPolicyAccess(level: DbAccessLevel): AccessLevel {
  return level === "READ" ? "read" : "read-write";
}

/** Returns when the last session issued before `endedAt` has expired, so its deny can go. */
export function sessionDenyEnd(endedAt: Date, sessionDurationHours: number): Date {
  return new Date(endedAt.getTime() + sessionDurationHours * 3600_000 + SESSION_DENY_MARGIN_MS);
}

/** Grants whose statements belong in the documents: being provisioned or active. */
const PRESENT_STATUSES = ["PROVISIONING", "ACTIVE"] as const;

/**
 * Builds the policy engine's input for one bucket from the database. It contains every
 * dataset of the bucket with its present grants, one entry per consumer account,
 * permission set and level however many people hold it. It also contains the session
 * denies of grants that ended less than a session duration ago.
 */
export async function loadPlanInput(
  db: Db | Tx,
  bucketName: string,
  live: { bucketPolicy: PolicyDocument | string | null; keyPolicy: PolicyDocument | string },
  now = new Date(),
): Promise<PlanInput> {
  const datasets = await db.dataset.findMany({
    where: { bucketName },
    orderBy: { prefix: "asc" },
    include: {
      grants: {
        where: {
          OR: [
            { status: { in: [...PRESENT_STATUSES] } },
            { status: { in: ["REVOKING", "REVOKED", "EXPIRED"] }, identityStoreUserId: { not: null } },
          ],
        },
      },
    },
  });
  const first = datasets[0];
  if (!first) throw new Error(`No dataset is registered for bucket ${bucketName}.`);

  const revokedSessions: NonNullable<PlanInput["revokedSessions"]> = [];
  const planDatasets = datasets.map((dataset) => {
    const seen = new Set<string>();
    const grants: PlanInput["datasets"][number]["grants"] = [];
    for (const grant of dataset.grants) {
      if ((PRESENT_STATUSES as readonly string[]).includes(grant.status)) {
        const entry = { consumerAccountId: dataset.consumerAccountId, permissionSetName: grant.permissionSetName, access: toPolicyAccess(grant.accessLevel) };
        const key = JSON.stringify(entry);
        if (!seen.has(key)) grants.push(entry);
        seen.add(key);
        continue;
      }
      // A revoking grant gets its deny now; an ended one keeps it until its last session is over.
      const endedAt = grant.endedAt ?? now;
      if (grant.identityStoreUserId && sessionDenyEnd(endedAt, dataset.sessionDurationHours) > now) {
        revokedSessions.push({
          userId: grant.identityStoreUserId,
          consumerAccountId: dataset.consumerAccountId,
          permissionSetName: grant.permissionSetName,
          prefix: dataset.prefix,
          issuedBefore: new Date(endedAt.getTime() + SESSION_DENY_MARGIN_MS).toISOString(),
        });
      }
    }
    return { prefix: dataset.prefix, grants };
  });

  return {
    bucket: {
      name: first.bucketName,
      region: first.bucketRegion,
      accountId: first.ownerAccountId,
      bucketKeyEnabled: first.bucketKeyEnabled,
      policy: live.bucketPolicy,
    },
    key: { arn: first.kmsKeyArn, policy: live.keyPolicy },
    datasets: planDatasets,
    revokedSessions,
  };
}
