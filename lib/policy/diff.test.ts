import { describe, expect, it } from "vitest";
import { diffPolicies, planPolicies, type PolicyDocument, type Statement } from "@/lib/policy";
import { CONSUMER, grant, SECOND_CONSUMER, seedInput } from "./fixtures/scenario";

const foreign = (sid: string | undefined, action = "s3:GetObject"): Statement => ({
  ...(sid ? { Sid: sid } : {}),
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::418649672840:role/Reader" },
  Action: action,
  Resource: "arn:aws:s3:::felix-bucket-123456-xyz/*",
});

const document = (...statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

describe("diffPolicies", () => {
  it("shows the statements a first grant adds", () => {
    const input = seedInput();
    const plan = planPolicies(input);
    const diff = diffPolicies(input.bucket.policy as PolicyDocument, plan.bucketPolicy);
    expect(diff.document).toBe("updated");
    expect(diff.counts).toEqual({ added: 6, removed: 0, changed: 0, unchanged: 1 });
    expect(diff.statements[0]).toEqual({ change: "unchanged", managed: false, count: 1, sids: ["AllowServerAccessLogDelivery"] });
    expect(diff.statements.slice(1).map((entry) => [entry.change, "sid" in entry ? entry.sid : null])).toEqual([
      ["added", "AccessPortalDenyInsecureTransport"],
      ["added", "AccessPortalReadWriteObjectsClientData1e7ac102"],
      ["added", "AccessPortalReadWriteListClientData1e7ac102"],
      ["added", "AccessPortalDenyOtherKmsKey"],
      ["added", "AccessPortalDenyOtherEncryption"],
      ["added", "AccessPortalDenyCustomerProvidedKeys"],
    ]);
  });

  it("shows a second consumer as changed statements with the fields", () => {
    const before = planPolicies(seedInput());
    const input = seedInput();
    input.bucket.policy = before.bucketPolicy;
    input.key.policy = before.keyPolicy;
    input.datasets = [{ prefix: "client-data/", grants: [grant(CONSUMER, "read-write"), grant(SECOND_CONSUMER, "read-write")] }];
    const after = planPolicies(input);

    const diff = diffPolicies(before.bucketPolicy, after.bucketPolicy);
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 2, unchanged: 5 });
    const changed = diff.statements.filter((entry) => entry.change === "changed");
    expect(changed.map((entry) => [entry.sid, entry.managed, entry.fields])).toEqual([
      ["AccessPortalReadWriteObjectsClientData1e7ac102", true, ["Principal", "Condition"]],
      ["AccessPortalReadWriteListClientData1e7ac102", true, ["Principal", "Condition"]],
    ]);

    const keyDiff = diffPolicies(before.keyPolicy, after.keyPolicy);
    expect(keyDiff.counts).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 1 });
  });

  it("shows removed statements where they stood", () => {
    const before = document(foreign("First"), { ...foreign("AccessPortalOld"), Effect: "Deny" }, foreign("Last"));
    const after = document(foreign("First"), foreign("Last"));
    const diff = diffPolicies(before, after);
    expect(diff.statements.map((entry) => entry.change)).toEqual(["unchanged", "removed", "unchanged"]);
    expect(diff.statements[1]).toMatchObject({ change: "removed", sid: "AccessPortalOld", managed: true });
  });

  it("collapses runs of unchanged foreign statements", () => {
    const managed: Statement = { ...foreign("AccessPortalKept"), Effect: "Deny" };
    const before = document(foreign("A"), foreign(undefined, "s3:ListBucket"), managed, foreign("C"), foreign("D"));
    const after = document(foreign("A"), foreign(undefined, "s3:ListBucket"), managed, foreign("C"), foreign("D"), foreign("E"));
    const diff = diffPolicies(before, after);
    expect(diff.statements).toEqual([
      { change: "unchanged", managed: false, count: 2, sids: ["A", null] },
      { change: "unchanged", sid: "AccessPortalKept", managed: true, statement: managed },
      { change: "unchanged", managed: false, count: 2, sids: ["C", "D"] },
      { change: "added", sid: "E", managed: false, after: foreign("E") },
    ]);
    expect(diff.counts.unchanged).toBe(5);
  });

  it("treats reformatted values as unchanged", () => {
    const before = document({ ...foreign("A"), Action: ["s3:GetObject"], Principal: { AWS: ["418649672840"] } });
    const after = document({ ...foreign("A"), Principal: { AWS: "arn:aws:iam::418649672840:root" } });
    expect(diffPolicies(before, after).document).toBe("unchanged");
  });

  it("matches statements without Sid by content", () => {
    const diff = diffPolicies(document(foreign(undefined)), document(foreign(undefined, "s3:PutObject")));
    expect(diff.statements.map((entry) => entry.change)).toEqual(["removed", "added"]);
  });

  it("reports created, deleted and absent documents", () => {
    expect(diffPolicies(null, document(foreign("A"))).document).toBe("created");
    expect(diffPolicies(document(foreign("A")), null)).toMatchObject({ document: "deleted", counts: { removed: 1 } });
    expect(diffPolicies(null, null)).toEqual({ document: "absent", statements: [], counts: { added: 0, removed: 0, changed: 0, unchanged: 0 }, fields: [] });
  });

  it("reports changed document fields", () => {
    const diff = diffPolicies({ ...document(foreign("A")), Id: "old" }, { ...document(foreign("A")), Id: "new" });
    expect(diff.document).toBe("updated");
    expect(diff.fields).toEqual([{ name: "Id", before: "old", after: "new" }]);
  });

  it("returns JSON that survives a round trip", () => {
    const plan = planPolicies(seedInput());
    const diff = diffPolicies(seedInput().key.policy as PolicyDocument, plan.keyPolicy);
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });
});
