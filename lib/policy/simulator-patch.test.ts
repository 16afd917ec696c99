import { createRequire } from "node:module";
import { runSimulation as runEsmSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { CONSUMER, KEY_ARN, OWNER } from "./fixtures/scenario";

// @cloud-copilot/iam-simulate 0.1.173 dropped context keys whose variable part
// follows a colon (kms:EncryptionContext:aws:s3:arn), so such a condition never
// matched. patches/@cloud-copilot+iam-simulate+0.1.173.patch fixes both builds.
const runCjsSimulation = (createRequire(import.meta.url)("@cloud-copilot/iam-simulate") as { runSimulation: typeof runEsmSimulation }).runSimulation;

const ROLE_ARN = `arn:aws:iam::${CONSUMER}:role/aws-reserved/sso.amazonaws.com/us-east-2/AWSReservedSSO_CrossAccountS3Access_0123456789abcdef`;
const SESSION_ARN = `arn:aws:sts::${CONSUMER}:assumed-role/AWSReservedSSO_CrossAccountS3Access_0123456789abcdef/auditor1`;

function keySimulation(condition: Record<string, Record<string, string>>, context: Record<string, string>): Simulation {
  return {
    request: {
      principal: SESSION_ARN,
      action: "kms:Decrypt",
      resource: { resource: KEY_ARN, accountId: OWNER },
      contextVariables: { "aws:PrincipalArn": ROLE_ARN, ...context },
    },
    identityPolicies: [{ name: "inline", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: KEY_ARN }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: {
      Version: "2012-10-17",
      Statement: [{ Sid: "ContextBound", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CONSUMER}:root` }, Action: "kms:Decrypt", Resource: "*", Condition: condition }],
    },
  };
}

const CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";
const UNDER_PREFIX = "arn:aws:s3:::felix-bucket-123456-xyz/client-data/report.pdf";
const OUTSIDE_PREFIX = "arn:aws:s3:::felix-bucket-123456-xyz/internal-files/salaries.xlsx";

describe.each([
  ["esm build", runEsmSimulation],
  ["cjs build", runCjsSimulation],
])("patched simulator, %s", (_build, runSimulation) => {
  const prefixCondition = { StringLike: { [CONTEXT_KEY]: "arn:aws:s3:::felix-bucket-123456-xyz/client-data/*" } };

  it("allows when the encryption context matches", async () => {
    const result = await runSimulation(keySimulation(prefixCondition, { [CONTEXT_KEY]: UNDER_PREFIX }), {});
    expect(result.resultType).toBe("single");
    expect(result.resultType === "single" ? result.result.ignoredContextKeys : null).toEqual([]);
    expect(result.resultType === "error" ? null : result.overallResult).toBe("Allowed");
  });

  it("denies when the encryption context differs", async () => {
    const result = await runSimulation(keySimulation(prefixCondition, { [CONTEXT_KEY]: OUTSIDE_PREFIX }), {});
    expect(result.resultType === "error" ? null : result.overallResult).toBe("ImplicitlyDenied");
  });

  it("denies when the encryption context is missing", async () => {
    const result = await runSimulation(keySimulation(prefixCondition, {}), {});
    expect(result.resultType === "error" ? null : result.overallResult).toBe("ImplicitlyDenied");
  });

  it("keeps the key's case as written in the request", async () => {
    const condition = { StringEquals: { "kms:EncryptionContext:Department": "Audit" } };
    const matching = await runSimulation(keySimulation(condition, { "kms:EncryptionContext:Department": "Audit" }), {});
    const other = await runSimulation(keySimulation(condition, { "kms:EncryptionContext:Department": "Sales" }), {});
    expect(matching.resultType === "error" ? null : matching.overallResult).toBe("Allowed");
    expect(other.resultType === "error" ? null : other.overallResult).toBe("ImplicitlyDenied");
  });

  it("still evaluates slash variable keys", async () => {
    const condition = { StringEquals: { "aws:PrincipalTag/team": "audit" } };
    const matching = await runSimulation(keySimulation(condition, { "aws:PrincipalTag/team": "audit" }), {});
    const other = await runSimulation(keySimulation(condition, { "aws:PrincipalTag/team": "sales" }), {});
    expect(matching.resultType === "error" ? null : matching.overallResult).toBe("Allowed");
    expect(other.resultType === "error" ? null : other.overallResult).toBe("ImplicitlyDenied");
  });
});
