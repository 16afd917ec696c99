import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli";
import { planPolicies } from "./plan";
import { seedInput } from "./fixtures/scenario";

const SEED_FILE = fileURLToPath(new URL("./fixtures/seed-input.json", import.meta.url));
const GUIDE_FILE = fileURLToPath(new URL("./fixtures/guide-input.json", import.meta.url));
const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url));

async function run(args: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, {
    readStdin: async () => stdin,
    readFile: (path) => readFile(path, "utf8"),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { status, stdout, stderr };
}

describe("policy command line", () => {
  it("plans from a file", async () => {
    const { status, stdout, stderr } = await run(["plan", SEED_FILE]);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    const output = JSON.parse(stdout);
    const plan = planPolicies(seedInput());
    expect(Object.keys(output).slice(0, 4)).toEqual(["bucketPolicy", "keyPolicy", "permissionSetPolicies", "warnings"]);
    expect(output.bucketPolicy).toEqual(plan.bucketPolicy);
    expect(output.keyPolicy).toEqual(plan.keyPolicy);
    expect(output.permissionSetPolicies).toEqual(plan.permissionSetPolicies);
    expect(output.warnings).toEqual([]);
  });

  it("plans from standard input", async () => {
    const { status, stdout } = await run(["plan", "-"], JSON.stringify(seedInput()));
    expect(status).toBe(0);
    expect(JSON.parse(stdout).bucketPolicy).toEqual(planPolicies(seedInput()).bucketPolicy);
  });

  it("rejects invalid input with status 2 and the field", async () => {
    const input = seedInput();
    (input.datasets[0] as { prefix: string }).prefix = "client-data";
    const { status, stdout, stderr } = await run(["plan", "-"], JSON.stringify(input));
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("datasets[0].prefix");
    expect(stderr).toContain("must end with \"/\"");
  });

  it("rejects text that is not JSON", async () => {
    const { status, stdout, stderr } = await run(["plan", "-"], "{ bucket:");
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("input: is not valid JSON");
  });

  it("rejects a missing file", async () => {
    const { status, stdout, stderr } = await run(["plan", "/nonexistent/input.json"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("cannot read /nonexistent/input.json");
  });

  it.each([[[]], [["apply", SEED_FILE]], [["plan"]], [["plan", "--live", SEED_FILE]], [["plan", SEED_FILE, "extra"]]])("rejects usage %j", async (args) => {
    const { status, stdout, stderr } = await run(args);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: npm run --silent policy --");
  });

  it("prints help", async () => {
    const { status, stdout } = await run(["--help"]);
    expect(status).toBe(0);
    expect(stdout).toContain("prove");
  });

  it("proves the plan", async () => {
    const { status, stdout } = await run(["prove", SEED_FILE]);
    expect(status).toBe(0);
    const matrix = JSON.parse(stdout);
    expect(matrix.ok).toBe(true);
    expect(matrix.rows).toHaveLength(27);
  });

  it("proves the guide's live policies and exits 1", async () => {
    const { status, stdout } = await run(["prove", "--live", GUIDE_FILE]);
    expect(status).toBe(1);
    const matrix = JSON.parse(stdout);
    expect(matrix.ok).toBe(false);
    expect(matrix.rows.filter((row: { ok: boolean }) => !row.ok).length).toBeGreaterThan(0);
  });

  it("prints the diff of each document", async () => {
    const { status, stdout } = await run(["diff", SEED_FILE]);
    expect(status).toBe(0);
    const diff = JSON.parse(stdout);
    expect(diff.bucketPolicy.counts).toEqual({ added: 6, removed: 0, changed: 0, unchanged: 1 });
    expect(diff.keyPolicy.counts).toEqual({ added: 1, removed: 0, changed: 0, unchanged: 1 });
    expect(diff.permissionSetPolicies.CrossAccountS3Access.document).toBe("created");
  });

  it("runs through npm with an empty standard output on invalid input", () => {
    const input = seedInput();
    input.bucket.accountId = "4186";
    const result = spawnSync("npm", ["run", "--silent", "policy", "--", "plan", "-"], {
      cwd: REPOSITORY,
      input: JSON.stringify(input),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("bucket.accountId");
  });

  it("runs through npm and prints one JSON object", () => {
    const result = spawnSync("npm", ["run", "--silent", "policy", "--", "plan", SEED_FILE], { cwd: REPOSITORY, encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).keyPolicy).toEqual(planPolicies(seedInput()).keyPolicy);
  });
});
