// Runs in each integration test file before its imports: points the code at the
// shared database and sandbox, and replaces the two Next.js request-scoped APIs
// that server actions call outside a request (the session and cache revalidation).
import { inject, vi } from "vitest";
import { testSession } from "@/test/session";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.AWS_ENDPOINT_URL = inject("sandboxUrl");
process.env.SANDBOX = "1";
process.env.AWS_POLL_INTERVAL_MS ??= "20";
process.env.LOG_LEVEL ??= "warn";
process.env.JOB_RETRY_DELAY_SECONDS ??= "1";

vi.mock("@/auth", () => ({
  auth: async () => (testSession.personId ? { user: { id: testSession.personId }, expires: new Date(Date.now() + 3600_000).toISOString() } : null),
  signIn: async () => undefined,
  signOut: async () => undefined,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
