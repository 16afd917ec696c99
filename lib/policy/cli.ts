import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { diffPolicies } from "./diff";
import { PolicyValidationError } from "./errors";
import { parseLivePolicy } from "./merge";
import { liveDocuments, planPolicies } from "./plan";
import { proveAccess } from "./proof";
import type { PlanInput, PolicyDocument } from "./types";

const USAGE = `Usage: npm run --silent policy -- COMMAND [OPTIONS] FILE

Reads a plan input (JSON) from FILE, or from standard input when FILE is "-",
and prints one JSON object to standard output.

Commands:
  plan    the planned bucket policy, key policy and permission set policies
  diff    the statement-level difference between the live and planned documents
  prove   the access matrix of the planned documents, from the IAM policy simulator

Options:
  --live                          prove: evaluate the live documents of the input instead of the plan
  --identity-center-region REGION prove: Region in the consumer roles' path (default: the bucket's Region)
  -h, --help                      print this help

Exit status: 0 success, 1 prove found a row whose outcome differs from the
expected one, 2 invalid input or usage, 3 unexpected failure.
`;

export interface CliIo {
  readStdin: () => Promise<string>;
  readFile: (path: string) => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Arguments {
  command: "plan" | "diff" | "prove";
  file: string;
  live: boolean;
  identityCenterRegion?: string;
}

class UsageError extends Error {}

function parseArguments(args: string[]): Arguments | "help" {
  if (args.includes("-h") || args.includes("--help")) return "help";
  const [command, ...rest] = args;
  if (command !== "plan" && command !== "diff" && command !== "prove") {
    throw new UsageError(command === undefined ? "missing COMMAND" : `unknown command "${command}"`);
  }
  const parsed: Partial<Arguments> = { command, live: false };
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index] as string;
    if (argument === "--live" && command === "prove") parsed.live = true;
    else if (argument === "--identity-center-region" && command === "prove") {
      const region = rest[++index];
      if (region === undefined) throw new UsageError("--identity-center-region needs a Region");
      parsed.identityCenterRegion = region;
    } else if (argument.startsWith("-") && argument !== "-") throw new UsageError(`unknown option "${argument}" for ${command}`);
    else if (parsed.file === undefined) parsed.file = argument;
    else throw new UsageError(`unexpected argument "${argument}"`);
  }
  if (parsed.file === undefined) throw new UsageError("missing FILE (use - for standard input)");
  return parsed as Arguments;
}

async function readInput(file: string, io: CliIo): Promise<PlanInput> {
  let text: string;
  try {
    text = file === "-" ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyValidationError("input", `cannot read ${file === "-" ? "standard input" : file}: ${reason}`);
  }
  try {
    return JSON.parse(text) as PlanInput;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyValidationError("input", `is not valid JSON: ${reason}`);
  }
}

async function execute(args: Arguments, input: PlanInput): Promise<{ output: unknown; status: number }> {
  if (args.command === "prove") {
    const documents = args.live ? liveDocuments(input) : planPolicies(input);
    const matrix = await proveAccess(input, documents, args.identityCenterRegion ? { identityCenterRegion: args.identityCenterRegion } : {});
    return { output: matrix, status: matrix.ok ? 0 : 1 };
  }

  const plan = planPolicies(input);
  if (args.command === "plan") {
    const { bucketPolicy, keyPolicy, permissionSetPolicies, warnings, sizes, changes, deletedPermissionSetPolicies } = plan;
    return { output: { bucketPolicy, keyPolicy, permissionSetPolicies, warnings, sizes, changes, deletedPermissionSetPolicies }, status: 0 };
  }

  const live = liveDocuments(input);
  const permissionSetPolicies: Record<string, ReturnType<typeof diffPolicies>> = {};
  for (const name of new Set([...Object.keys(plan.permissionSetPolicies), ...plan.deletedPermissionSetPolicies])) {
    const before = input.livePermissionSetPolicies?.[name] ?? null;
    const parsed = parseLivePolicy(before, `livePermissionSetPolicies.${name}`, `inline policy of permission set ${name}`);
    const beforeDocument = parsed ? ({ ...parsed.raw, Statement: parsed.statements } as unknown as PolicyDocument) : null;
    permissionSetPolicies[name] = diffPolicies(beforeDocument, plan.permissionSetPolicies[name] ?? null);
  }
  return {
    output: {
      bucketPolicy: diffPolicies(live.bucketPolicy, plan.bucketPolicy),
      keyPolicy: diffPolicies(live.keyPolicy, plan.keyPolicy),
      permissionSetPolicies,
      warnings: plan.warnings,
    },
    status: 0,
  };
}

/** Runs the command line tool and returns its exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args: Arguments | "help";
  try {
    args = parseArguments(argv);
  } catch (error) {
    io.stderr(`policy: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === "help") {
    io.stdout(USAGE);
    return 0;
  }

  try {
    const input = await readInput(args.file, io);
    const { output, status } = await execute(args, input);
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    return status;
  } catch (error) {
    if (error instanceof PolicyValidationError) {
      io.stderr(`policy: invalid input: ${error.field}: ${error.reason}\n`);
      return 2;
    }
    io.stderr(`policy: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  process.exitCode = await runCli(process.argv.slice(2), {
    readStdin,
    readFile: (path) => readFile(path, "utf8"),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
