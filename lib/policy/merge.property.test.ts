import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isManagedSid,
  planPolicies,
  PolicyValidationError,
  type AccessLevel,
  type PlanInput,
  type PlanResult,
  type PolicyDocument,
  type Statement,
} from "@/lib/policy";
import { BUCKET, CONSUMER, KEY_ARN, OWNER, SECOND_CONSUMER, seedInput } from "./fixtures/scenario";

const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const PREFIXES = ["client-data/", "reports/", "client-data/audit-reports/", "Prüfung 2026/", "x-y_z.(1)/", "a/"];
const CONSUMERS = [CONSUMER, SECOND_CONSUMER, "123456789012"];
const PERMISSION_SETS = ["CrossAccountS3Access", "CrossAccountS3Read", "Audit.Team@1"];

const foreignSid = fc.oneof(
  fc.constant(undefined),
  fc.stringMatching(/^[A-Za-z0-9 ]{1,20}$/).filter((sid) => !sid.startsWith("AccessPortal")),
);

const foreignStatement: fc.Arbitrary<Statement> = fc
  .record({
    Sid: foreignSid,
    Effect: fc.constantFrom<"Allow" | "Deny">("Allow", "Deny"),
    Principal: fc.oneof(
      fc.constant<"*">("*"),
      fc.constantFrom(OWNER, CONSUMER, `arn:aws:iam::${CONSUMER}:role/Auditor`).map((value) => ({ AWS: value })),
      fc.constant({ Service: "logging.s3.amazonaws.com" }),
    ),
    Action: fc.subarray(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:*"], { minLength: 1 }),
    Resource: fc.constantFrom(BUCKET_ARN, `${BUCKET_ARN}/*`, `${BUCKET_ARN}/logs/*`),
    Condition: fc.option(
      fc.constantFrom(
        { StringEquals: { "aws:SourceAccount": OWNER } },
        { Bool: { "aws:SecureTransport": false } },
        { IpAddress: { "aws:SourceIp": ["192.0.2.0/24"] } },
      ),
      { nil: undefined },
    ),
  })
  .map((statement) => Object.fromEntries(Object.entries(statement).filter(([, value]) => value !== undefined)) as unknown as Statement);

const foreignKeyStatement: fc.Arbitrary<Statement> = fc
  .record({
    Sid: foreignSid,
    Effect: fc.constant<"Allow">("Allow"),
    Principal: fc.constantFrom({ AWS: `arn:aws:iam::${OWNER}:role/KeyAdmin` }, { Service: "cloudtrail.amazonaws.com" }),
    Action: fc.subarray(["kms:Describe*", "kms:Get*", "kms:List*", "kms:Encrypt"], { minLength: 1 }),
    Resource: fc.constant("*"),
  })
  .map((statement) => Object.fromEntries(Object.entries(statement).filter(([, value]) => value !== undefined)) as unknown as Statement);

const grantArbitrary = fc.record({
  consumerAccountId: fc.constantFrom(...CONSUMERS),
  permissionSetName: fc.constantFrom(...PERMISSION_SETS),
  access: fc.constantFrom<AccessLevel>("read", "read-write"),
});

const datasetsArbitrary = fc.uniqueArray(
  fc.record({ prefix: fc.constantFrom(...PREFIXES), grants: fc.array(grantArbitrary, { maxLength: 5 }) }),
  { selector: (dataset) => dataset.prefix, maxLength: PREFIXES.length },
);

// Many long prefixes, so that some plans pass a size limit.
const largeDatasetsArbitrary = fc
  .record({ count: fc.integer({ min: 1, max: 45 }), length: fc.integer({ min: 8, max: 120 }), grants: fc.array(grantArbitrary, { minLength: 1, maxLength: 3 }) })
  .map(({ count, length, grants }) =>
    Array.from({ length: count }, (_, index) => ({ prefix: `${String(index).padStart(3, "0")}-${"p".repeat(length)}/`, grants })),
  );

function liveDocument(statements: Statement[]): PolicyDocument | null {
  return statements.length === 0 ? null : { Version: "2012-10-17", Statement: statements };
}

function inputWith(bucketStatements: Statement[], keyStatements: Statement[], datasets: PlanInput["datasets"], bucketKeyEnabled: boolean): PlanInput {
  const input = seedInput();
  input.bucket.policy = liveDocument(bucketStatements);
  input.bucket.bucketKeyEnabled = bucketKeyEnabled;
  const administration: Statement = { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: "kms:*", Resource: "*" };
  input.key.policy = { Version: "2012-10-17", Id: "key-consolepolicy-3", Statement: [administration, ...keyStatements] };
  input.datasets = datasets;
  return input;
}

function foreignOf(document: PolicyDocument | null): Statement[] {
  return (document?.Statement ?? []).filter((statement) => !isManagedSid(statement.Sid));
}

function replanOver(input: PlanInput, plan: PlanResult, datasets: PlanInput["datasets"]): PlanResult {
  return planPolicies({
    ...input,
    bucket: { ...input.bucket, policy: plan.bucketPolicy },
    key: { ...input.key, policy: plan.keyPolicy },
    livePermissionSetPolicies: plan.permissionSetPolicies,
    datasets,
  });
}

const scenario = fc.record({
  bucketStatements: fc.array(foreignStatement, { maxLength: 5 }),
  keyStatements: fc.array(foreignKeyStatement, { maxLength: 3 }),
  datasets: datasetsArbitrary,
  bucketKeyEnabled: fc.boolean(),
});

describe("merge properties", () => {
  it("keeps every foreign statement unchanged and in order", () => {
    fc.assert(
      fc.property(scenario, ({ bucketStatements, keyStatements, datasets, bucketKeyEnabled }) => {
        const input = inputWith(bucketStatements, keyStatements, datasets, bucketKeyEnabled);
        const plan = planPolicies(input);
        expect(foreignOf(plan.bucketPolicy)).toEqual(bucketStatements);
        expect(foreignOf(plan.keyPolicy)).toEqual((input.key.policy as PolicyDocument).Statement);
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same documents when merged twice", () => {
    fc.assert(
      fc.property(scenario, ({ bucketStatements, keyStatements, datasets, bucketKeyEnabled }) => {
        const input = inputWith(bucketStatements, keyStatements, datasets, bucketKeyEnabled);
        const once = planPolicies(input);
        const twice = replanOver(input, once, datasets);
        expect(JSON.stringify(twice.bucketPolicy)).toBe(JSON.stringify(once.bucketPolicy));
        expect(JSON.stringify(twice.keyPolicy)).toBe(JSON.stringify(once.keyPolicy));
        expect(JSON.stringify(twice.permissionSetPolicies)).toBe(JSON.stringify(once.permissionSetPolicies));
        expect(twice.changes.bucketPolicy).toBe("none");
        expect(twice.changes.keyPolicy).toBe("none");
      }),
      { numRuns: 200 },
    );
  });

  it("restores the original documents when all grants go", () => {
    fc.assert(
      fc.property(scenario, ({ bucketStatements, keyStatements, datasets, bucketKeyEnabled }) => {
        const input = inputWith(bucketStatements, keyStatements, datasets, bucketKeyEnabled);
        const granted = planPolicies(input);
        const removed = replanOver(input, granted, datasets.map((dataset) => ({ ...dataset, grants: [] })));
        expect(removed.bucketPolicy).toEqual(input.bucket.policy);
        expect(removed.keyPolicy).toEqual(input.key.policy);
        expect(removed.permissionSetPolicies).toEqual({});
        expect(removed.deletedPermissionSetPolicies).toEqual(Object.keys(granted.permissionSetPolicies));
      }),
      { numRuns: 200 },
    );
  });

  it("passes validation or is rejected for a named limit", () => {
    const LIMIT_FIELDS = /^(bucket\.policy|key\.policy|permissionSetPolicies\..+)$/;
    const outcomes = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.oneof(datasetsArbitrary, largeDatasetsArbitrary), fc.boolean(), (datasets, bucketKeyEnabled) => {
        const input = inputWith([], [], datasets, bucketKeyEnabled);
        let plan: PlanResult;
        try {
          plan = planPolicies(input);
        } catch (error) {
          expect(error).toBeInstanceOf(PolicyValidationError);
          const rejection = error as PolicyValidationError;
          expect(rejection.code).toBe("policy-too-large");
          expect(rejection.field).toMatch(LIMIT_FIELDS);
          expect(rejection.size).toBeDefined();
          expect(rejection.size?.bytes).toBeGreaterThan(rejection.size?.limit ?? Infinity);
          expect(rejection.message).toContain(rejection.size?.limit.toLocaleString("en-US"));
          outcomes.rejected += 1;
          return;
        }
        outcomes.accepted += 1;
        const documents = [plan.bucketPolicy, plan.keyPolicy, ...Object.values(plan.permissionSetPolicies)].filter(
          (document): document is PolicyDocument => document !== null,
        );
        for (const document of documents) {
          const sids = document.Statement.map((statement) => statement.Sid).filter(isManagedSid);
          expect(new Set(sids).size).toBe(sids.length);
          for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
        }
        if (plan.sizes.bucketPolicy) expect(plan.sizes.bucketPolicy.bytes).toBeLessThanOrEqual(plan.sizes.bucketPolicy.limit);
        expect(plan.sizes.keyPolicy.bytes).toBeLessThanOrEqual(plan.sizes.keyPolicy.limit);
        for (const size of Object.values(plan.sizes.permissionSetPolicies)) {
          expect(size.bytesWithoutWhitespace).toBeLessThanOrEqual(size.limitWithoutWhitespace);
        }
      }),
      { numRuns: 150 },
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  // The simulator validates each policy's grammar (elements, actions, condition
  // operators and keys) before it evaluates anything.
  it("writes documents the IAM policy simulator accepts", async () => {
    await fc.assert(
      fc.asyncProperty(datasetsArbitrary, fc.boolean(), async (datasets, bucketKeyEnabled) => {
        const input = inputWith([], [], datasets, bucketKeyEnabled);
        input.revokedSessions = [
          { userId: "9067a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", consumerAccountId: CONSUMER, permissionSetName: "CrossAccountS3Access", prefix: "client-data/", issuedBefore: "2026-12-04T10:15:00Z" },
        ];
        const plan = planPolicies(input);
        const identityPolicies = Object.entries(plan.permissionSetPolicies).map(([name, policy]) => ({ name, policy }));
        const requests = [
          { action: "s3:GetObject", resource: `${BUCKET_ARN}/client-data/a.txt`, policy: plan.bucketPolicy },
          { action: "kms:Decrypt", resource: KEY_ARN, policy: plan.keyPolicy },
        ];
        for (const request of requests) {
          const result = await runSimulation(
            {
              request: {
                principal: `arn:aws:sts::${CONSUMER}:assumed-role/Role/session`,
                action: request.action,
                resource: { resource: request.resource, accountId: OWNER },
                contextVariables: {},
              },
              identityPolicies,
              serviceControlPolicies: [],
              resourceControlPolicies: [],
              resourcePolicy: request.policy ?? undefined,
            },
            {},
          );
          expect(result.resultType === "error" ? result.errors : null).toBeNull();
        }
      }),
      { numRuns: 25 },
    );
  });
});
