import { NextResponse } from "next/server";
import { getDb } from "@/lib/db";
import { logger } from "@/lib/log";
import { getAwsContext } from "@/lib/aws/default-context";
import { checkEndpoints } from "@/lib/aws/health";

export const dynamic = "force-dynamic";

/**
 * Reports whether the database and each AWS endpoint respond. It takes no input and
 * returns no data beyond reachability and latency, so it needs no sign-in.
 */
export async function GET() {
  const started = Date.now();
  let database: { ok: boolean; latencyMs: number; error?: string };
  try {
    await getDb().$queryRaw`SELECT 1`;
    database = { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    logger.error({ err: error }, "health check: database unreachable");
    database = { ok: false, latencyMs: Date.now() - started, error: "database unreachable" };
  }
  let aws: Awaited<ReturnType<typeof checkEndpoints>> = [];
  try {
    aws = await checkEndpoints(getAwsContext());
  } catch (error) {
    logger.error({ err: error }, "health check: AWS configuration invalid");
    aws = [];
  }
  const ok = database.ok && aws.length > 0 && aws.every((endpoint) => endpoint.ok);
  return NextResponse.json({ ok, database, aws }, { status: ok ? 200 : 503 });
}
