// Measures how many bytes each dataset and access level adds to the
// generated documents, and how many datasets one bucket can hold before a
// document passes its size limit. Run: npx tsx lib/policy/bench/capacity.ts
import { cpus, totalmem } from "node:os";
import { pathToFileURL } from "node:url";
import { PolicyValidationError } from "../errors";
import { planPolicies } from "../plan";
import { proveAccess } from "../proof";
import type { AccessLevel, Grant, PlanInput, PlanResult } from "../types";

const OWNER = "418649672840";
const CONSUMERS = ["533267321107", "210987654321", "123456789012"];
const BUCKET = "felix-bucket-123456-xyz";
const KEY_ARN = "arn:aws:kms:us-east-2:418649672840:key/mrk-5382d625177c4eb6839afe8ede6bf67e";

export type Levels = "read" | "read-write" | "both";

export interface CapacityCase {
  levels: Levels;
  /** Characters of each prefix, "/" included. */
  prefixLength: number;
  /** Consumer accounts holding each dataset and level. */
  consumers: number;
}

function prefixOf(index: number, length: number): string {
  const head = `dataset-${String(index).padStart(4, "0")}`;
  return `${head}${"x".repeat(Math.max(0, length - head.length - 1))}/`;
}

function grantsFor(levels: Levels, consumers: number, people = 1): Grant[] {
  const accessLevels: AccessLevel[] = levels === "both" ? ["read", "read-write"] : [levels];
  return CONSUMERS.slice(0, consumers).flatMap((consumerAccountId) =>
    accessLevels.flatMap((access) =>
      Array.from({ length: people }, () => ({
        consumerAccountId,
        permissionSetName: access === "read" ? "CrossAccountS3Read" : "CrossAccountS3Access",
        access,
      })),
    ),
  );
}

export function capacityInput(datasets: number, capacityCase: CapacityCase, people = 1): PlanInput {
  return {
    bucket: { name: BUCKET, region: "us-east-2", accountId: OWNER, bucketKeyEnabled: false, policy: null },
    key: {
      arn: KEY_ARN,
      policy: {
        Version: "2012-10-17",
        Id: "key-consolepolicy-3",
        Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: "kms:*", Resource: "*" }],
      },
    },
    datasets: Array.from({ length: datasets }, (_, index) => ({
      prefix: prefixOf(index, capacityCase.prefixLength),
      grants: grantsFor(capacityCase.levels, capacityCase.consumers, people),
    })),
  };
}

function bytes(plan: PlanResult) {
  const inline = Object.values(plan.sizes.permissionSetPolicies);
  return {
    bucket: plan.sizes.bucketPolicy?.bytes ?? 0,
    key: plan.sizes.keyPolicy.bytes,
    inline: Math.max(0, ...inline.map((size) => size.bytesWithoutWhitespace)),
  };
}

export interface CapacityResult extends CapacityCase {
  /** Bytes one more dataset adds (difference between 3 and 2 datasets; the growth is linear). */
  bucketBytesPerDataset: number;
  keyBytesPerDataset: number;
  inlineBytesPerDataset: number;
  /** Bytes of the bucket policy with one dataset: statements per bucket included. */
  bucketBytesForOneDataset: number;
  maxDatasets: number;
  /** The document whose limit the next dataset passes, and its limit. */
  limitedBy: string;
}

export function measureCase(capacityCase: CapacityCase): CapacityResult {
  const oneDataset = bytes(planPolicies(capacityInput(1, capacityCase)));
  const two = bytes(planPolicies(capacityInput(2, capacityCase)));
  const three = bytes(planPolicies(capacityInput(3, capacityCase)));

  let low = 1;
  let high = 2;
  let limitedBy = "";
  const fits = (count: number): boolean => {
    try {
      planPolicies(capacityInput(count, capacityCase));
      return true;
    } catch (error) {
      if (!(error instanceof PolicyValidationError) || error.code !== "policy-too-large") throw error;
      limitedBy = `${error.field} (${error.size?.limit.toLocaleString("en-US")} bytes)`;
      return false;
    }
  };
  while (fits(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  fits(low + 1);

  return {
    ...capacityCase,
    bucketBytesPerDataset: three.bucket - two.bucket,
    keyBytesPerDataset: three.key - two.key,
    inlineBytesPerDataset: three.inline - two.inline,
    bucketBytesForOneDataset: oneDataset.bucket,
    maxDatasets: low,
    limitedBy,
  };
}

export const CASES: CapacityCase[] = [
  { levels: "read", prefixLength: 16, consumers: 1 },
  { levels: "read-write", prefixLength: 16, consumers: 1 },
  { levels: "both", prefixLength: 16, consumers: 1 },
  { levels: "read-write", prefixLength: 16, consumers: 2 },
  { levels: "read-write", prefixLength: 64, consumers: 1 },
];

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`node ${process.version}, ${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform} ${process.arch}\n`);

  console.log("| levels | prefix length | consumers | bucket bytes per dataset | key bytes per dataset | inline bytes per dataset | bucket policy with 1 dataset | max datasets | limited by |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const capacityCase of CASES) {
    const result = measureCase(capacityCase);
    console.log(
      `| ${result.levels} | ${result.prefixLength} | ${result.consumers} | ${result.bucketBytesPerDataset} | ${result.keyBytesPerDataset} | ${result.inlineBytesPerDataset} | ${result.bucketBytesForOneDataset} | ${result.maxDatasets} | ${result.limitedBy} |`,
    );
  }

  const onePerson = planPolicies(capacityInput(1, CASES[1] as CapacityCase, 1));
  const thousandPeople = planPolicies(capacityInput(1, CASES[1] as CapacityCase, 1000));
  console.log(`\n1 person: bucket policy ${onePerson.sizes.bucketPolicy?.bytes} bytes; 1,000 people: ${thousandPeople.sizes.bucketPolicy?.bytes} bytes`);

  const proofInput = capacityInput(1, CASES[1] as CapacityCase);
  const started = performance.now();
  const matrix = await proveAccess(proofInput, planPolicies(proofInput));
  console.log(`proof of one read-write grant: ${matrix.rows.length} simulations in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
