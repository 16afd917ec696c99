import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { signInAs } from "@/test/session";
import { createRequestAction } from "@/lib/actions/create-request";
import { cancelRequestAction } from "@/lib/actions/cancel-request";
import { decideRequestAction } from "@/lib/actions/decide-request";
import { revokeGrantAction } from "@/lib/actions/revoke-grant";
import { registerDatasetAction } from "@/lib/actions/register-dataset";
import { retryGrantAction } from "@/lib/actions/retry-grant";
import { SEED_DATASET_NAME } from "@/lib/db/seed";
import type { ActionState } from "@/lib/actions/run-action";

const IDLE: ActionState = { status: "idle" };
const db = getDb();

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

/** Row counts of every table an action may write, to prove a rejected call wrote nothing. */
async function snapshot() {
  const [datasets, requests, approvals, grants, steps, audit, jobs] = await Promise.all([
    db.dataset.count(),
    db.accessRequest.count(),
    db.approval.count(),
    db.grant.count(),
    db.provisioningStep.count(),
    db.auditEvent.count(),
    db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM pgboss.job`.catch(() => [{ count: 0n }]),
  ]);
  return { datasets, requests, approvals, grants, steps, audit, jobs: jobs[0]?.count };
}

/** Asserts that the action failed and returns its message and field. */
function errorOf(result: ActionState): { message: string; field?: string } {
  expect(result.status).toBe("error");
  return result.status === "error" ? result : { message: "" };
}

let datasetId: string;
let pendingRequestId: string;

beforeAll(async () => {
  datasetId = (await db.dataset.findUniqueOrThrow({ where: { name: SEED_DATASET_NAME } })).id;
  await signInAs("auditor2@auditfirm.com");
  const created = await createRequestAction(IDLE, form({ datasetId, accessLevel: "READ", durationHours: "4", justification: "Quarterly review of supporting documents" }));
  expect(created.status).toBe("ok");
  const request = await db.accessRequest.findFirstOrThrow({ where: { requester: { email: "auditor2@auditfirm.com" }, status: "PENDING_CONSUMER" } });
  pendingRequestId = request.id;
});

const CASES: { name: string; call: () => Promise<ActionState>; wrongRole: string }[] = [
  {
    name: "createRequest",
    call: () => createRequestAction(IDLE, form({ datasetId, accessLevel: "READ_WRITE", durationHours: "4", justification: "A justification long enough" })),
    wrongRole: "data.owner@efs.example",
  },
  { name: "cancelRequest", call: () => cancelRequestAction(IDLE, form({ requestId: pendingRequestId })), wrongRole: "compliance@efs.example" },
  {
    name: "decideRequest",
    call: () => decideRequestAction(IDLE, form({ requestId: pendingRequestId, decision: "APPROVE", comment: "" })),
    wrongRole: "auditor1@auditfirm.com",
  },
  { name: "revokeGrant", call: () => revokeGrantAction(IDLE, form({ grantId: crypto.randomUUID(), comment: "no longer needed" })), wrongRole: "audit.manager@auditfirm.example" },
  { name: "retryGrant", call: () => retryGrantAction(IDLE, form({ grantId: crypto.randomUUID() })), wrongRole: "admin@efs.example" },
  {
    name: "registerDataset",
    call: () =>
      registerDatasetAction(
        IDLE,
        form({
          name: "Archive",
          bucketName: "felix-bucket-123456-xyz",
          bucketRegion: "us-east-2",
          prefix: "archive/",
          kmsKeyArn: "arn:aws:kms:us-east-2:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e",
          consumerAccountId: "533267321107",
          maxDurationHours: "24",
          readPermissionSetName: "ArchiveRead",
          readWritePermissionSetName: "ArchiveReadWrite",
          sessionDurationHours: "1",
        }),
      ),
    wrongRole: "data.owner@efs.example",
  },
];

describe.each(CASES)("$name authorization", ({ call, wrongRole }) => {
  it("rejects nobody and writes nothing", async () => {
    await signInAs(null);
    const before = await snapshot();
    const result = await call();
    expect(result.status).toBe("error");
    expect(errorOf(result).message).toMatch(/sign in/i);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects the wrong role and writes nothing", async () => {
    await signInAs(wrongRole);
    const before = await snapshot();
    const result = await call();
    expect(result.status).toBe("error");
    expect(errorOf(result).message).toMatch(/role|only|waits for/i);
    expect(await snapshot()).toEqual(before);
  });
});

describe("createRequest input", () => {
  const BAD_INPUT: { values: Record<string, string>; field: string; message: RegExp }[] = [
    { values: { accessLevel: "READ", durationHours: "73", justification: "Valid justification text" }, field: "durationHours", message: /at most 72 hours/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "   " }, field: "justification", message: /at least 10 characters/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "" }, field: "justification", message: /at least 10 characters/ },
    { values: { accessLevel: "ADMIN", durationHours: "8", justification: "Valid justification text" }, field: "accessLevel", message: /read or read-write/ },
    { values: { accessLevel: "READ", durationHours: "1.5", justification: "Valid justification text" }, field: "durationHours", message: /whole number/ },
    { values: { accessLevel: "READ", durationHours: "0x10", justification: "Valid justification text" }, field: "durationHours", message: /whole number/ },
    { values: { accessLevel: "READ", durationHours: "1e1", justification: "Valid justification text" }, field: "durationHours", message: /whole number/ },
    { values: { accessLevel: "READ", durationHours: "0", justification: "Valid justification text" }, field: "durationHours", message: /at least 1 hour/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "Soft\u00ADhyphen hides text" }, field: "justification", message: /invisible/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "Tag \u{E0041} characters hide text" }, field: "justification", message: /invisible/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "Line\u2028separator inside" }, field: "justification", message: /invisible/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "Hidden\u202Etext inside" }, field: "justification", message: /invisible/ },
    { values: { accessLevel: "READ", durationHours: "8", justification: "x".repeat(2001) }, field: "justification", message: /at most 2000/ },
  ];

  it.each(BAD_INPUT)("rejects $field: $message", async ({ values, field, message }) => {
    await signInAs("auditor1@auditfirm.com");
    const before = await snapshot();
    const result = await createRequestAction(IDLE, form({ datasetId, ...values }));
    expect(result.status).toBe("error");
    if (result.status !== "error") return;
    expect(result.field).toBe(field);
    expect(result.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it("stores browser line breaks as newlines", async () => {
    await signInAs("auditor1@auditfirm.com");
    const result = await createRequestAction(IDLE, form({ datasetId, accessLevel: "READ_WRITE", durationHours: " 12 ", justification: "First line\r\nsecond line" }));
    expect(result.status).toBe("ok");
    const request = await db.accessRequest.findFirstOrThrow({ where: { requester: { email: "auditor1@auditfirm.com" }, accessLevel: "READ_WRITE" }, orderBy: { createdAt: "desc" } });
    expect(request.justification).toBe("First line\nsecond line");
    expect(request.durationHours).toBe(12);
    await cancelRequestAction(IDLE, form({ requestId: request.id }));
  });

  it("rejects a second open request for the same level", async () => {
    await signInAs("auditor2@auditfirm.com");
    const before = await snapshot();
    const result = await createRequestAction(IDLE, form({ datasetId, accessLevel: "READ", durationHours: "4", justification: "Same request again, twice" }));
    expect(errorOf(result).message).toMatch(/already have an open request/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("decideRequest rules", () => {
  it("rejects the data owner on the consumer stage", async () => {
    await signInAs("data.owner@efs.example");
    const before = await snapshot();
    const result = await decideRequestAction(IDLE, form({ requestId: pendingRequestId, decision: "APPROVE", comment: "" }));
    expect(errorOf(result).message).toMatch(/consumer approver/);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a rejection without a comment", async () => {
    await signInAs("audit.manager@auditfirm.example");
    const before = await snapshot();
    const result = await decideRequestAction(IDLE, form({ requestId: pendingRequestId, decision: "REJECT", comment: "" }));
    expect(errorOf(result).field).toBe("comment");
    expect(await snapshot()).toEqual(before);
  });

  it("rejects self-approval", async () => {
    const selfApprover = await db.person.upsert({
      where: { email: "dual.role@auditfirm.example" },
      update: {},
      create: { email: "dual.role@auditfirm.example", name: "Dual Role", roles: ["REQUESTER", "CONSUMER_APPROVER"], accountId: "533267321107", ssoUserName: "auditor1@auditfirm.com" },
    });
    await signInAs(selfApprover.email);
    const created = await createRequestAction(IDLE, form({ datasetId, accessLevel: "READ", durationHours: "2", justification: "Checking my own approval rights" }));
    expect(created.status).toBe("ok");
    const request = await db.accessRequest.findFirstOrThrow({ where: { requesterId: selfApprover.id } });
    const before = await snapshot();
    const result = await decideRequestAction(IDLE, form({ requestId: request.id, decision: "APPROVE", comment: "" }));
    expect(errorOf(result).message).toMatch(/your own request/);
    expect(await snapshot()).toEqual(before);
  });

  it("counts one person's decision once", async () => {
    await signInAs("audit.manager@auditfirm.example");
    const first = await decideRequestAction(IDLE, form({ requestId: pendingRequestId, decision: "APPROVE", comment: "fine" }));
    expect(first.status).toBe("ok");
    const replay = await decideRequestAction(IDLE, form({ requestId: pendingRequestId, decision: "APPROVE", comment: "fine" }));
    expect(replay.status).toBe("error");
  });

  it("rejects a malformed request id", async () => {
    await signInAs("audit.manager@auditfirm.example");
    const result = await decideRequestAction(IDLE, form({ requestId: "../../etc", decision: "APPROVE", comment: "" }));
    expect(errorOf(result).field).toBe("requestId");
  });
});

describe("cancelRequest ownership", () => {
  it("hides another person's request", async () => {
    await signInAs("auditor1@auditfirm.com");
    const before = await snapshot();
    const result = await cancelRequestAction(IDLE, form({ requestId: pendingRequestId }));
    expect(errorOf(result).message).toMatch(/not found/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("registerDataset input", () => {
  const VALID = {
    name: "Archive",
    bucketName: "felix-bucket-123456-xyz",
    bucketRegion: "us-east-2",
    prefix: "archive/",
    kmsKeyArn: "arn:aws:kms:us-east-2:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e",
    consumerAccountId: "533267321107",
    maxDurationHours: "24",
    readPermissionSetName: "ArchiveRead",
    readWritePermissionSetName: "ArchiveReadWrite",
    sessionDurationHours: "1",
  };
  const BAD_INPUT: { change: Record<string, string>; field: string; message: RegExp }[] = [
    { change: { prefix: "client-*/" }, field: "prefix", message: /must not contain "\*"/ },
    { change: { prefix: "${aws:username}/" }, field: "prefix", message: /policy variable/ },
    { change: { prefix: "../archive/" }, field: "prefix", message: /\.\./ },
    { change: { prefix: "/archive/" }, field: "prefix", message: /must not start with "\/"/ },
    { change: { prefix: "archive" }, field: "prefix", message: /must end with "\/"/ },
    { change: { prefix: "arch\u200Bive/" }, field: "prefix", message: /invisible/ },
    { change: { kmsKeyArn: "arn:aws:kms:us-east-2:418649672840:alias/felix" }, field: "kmsKeyArn", message: /not an alias/ },
    { change: { kmsKeyArn: "arn:aws:kms:eu-west-1:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e" }, field: "kmsKeyArn", message: /Region us-east-2/ },
    { change: { consumerAccountId: "53326732110" }, field: "consumerAccountId", message: /12-digit/ },
    { change: { sessionDurationHours: "13" }, field: "sessionDurationHours", message: /1 to 12 hours/ },
    { change: { readPermissionSetName: "Read Access!" }, field: "readPermissionSetName", message: /1 to 32 characters/ },
    { change: { readWritePermissionSetName: "ArchiveRead" }, field: "readWritePermissionSetName", message: /must differ/ },
    { change: { readPermissionSetName: "CrossAccountS3Access" }, field: "readPermissionSetName", message: /dataset Client data uses already/ },
    { change: { prefix: "client-data/sub/" }, field: "prefix", message: /lie inside client-data\// },
    { change: { maxDurationHours: "0x10" }, field: "maxDurationHours", message: /whole number/ },
  ];

  it.each(BAD_INPUT)("rejects $field: $message", async ({ change, field, message }) => {
    await signInAs("admin@efs.example");
    const before = await snapshot();
    const result = await registerDatasetAction(IDLE, form({ ...VALID, ...change }));
    expect(result.status).toBe("error");
    if (result.status !== "error") return;
    expect(result.field).toBe(field);
    expect(result.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it("registers a checked dataset", async () => {
    await signInAs("admin@efs.example");
    const result = await registerDatasetAction(IDLE, form(VALID));
    expect(result).toEqual({ status: "ok", message: "Dataset Archive registered." });
    const dataset = await db.dataset.findUniqueOrThrow({ where: { name: "Archive" } });
    expect(dataset.prefix).toBe("archive/");
    expect(await db.auditEvent.count({ where: { subjectId: dataset.id, action: "dataset.registered" } })).toBe(1);
  });
});
