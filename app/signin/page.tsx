import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { getDb } from "@/lib/db";
import { isSandboxMode } from "@/lib/config";

export const dynamic = "force-dynamic";

const ROLE_LABELS: Record<string, string> = {
  REQUESTER: "requester",
  CONSUMER_APPROVER: "consumer approver",
  DATA_OWNER: "data owner",
  COMPLIANCE_REVIEWER: "compliance reviewer",
  ADMINISTRATOR: "administrator",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const sandbox = isSandboxMode();
  const people = sandbox ? await getDb().person.findMany({ orderBy: { email: "asc" }, include: { account: true } }) : [];

  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {error && <p className="mt-4 rounded bg-red-50 p-3 text-sm text-red-800">Sign-in failed. Pick a person from the list.</p>}
      {sandbox ? (
        <>
          <p className="mt-2 text-sm text-slate-600">
            Sandbox mode: pick one of the seeded people. This sign-in does not exist when the portal runs against AWS.
          </p>
          <ul className="mt-6 divide-y divide-slate-200 rounded border border-slate-200 bg-white">
            {people.map((person) => (
              <li key={person.id} className="flex items-center justify-between px-4 py-3">
                <div>
                  <div className="font-medium">{person.name}</div>
                  <div className="text-sm text-slate-600">
                    {person.email} · {person.roles.map((role) => ROLE_LABELS[role]).join(", ")} · {person.account.name}
                  </div>
                </div>
                <form
                  action={async () => {
                    "use server";
                    try {
                      await signIn("sandbox", { email: person.email, redirectTo: "/" });
                    } catch (failure) {
                      if (failure instanceof AuthError) redirect("/signin?error=1");
                      throw failure;
                    }
                  }}
                >
                  <button className="shrink-0 whitespace-nowrap rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700" aria-label={`Sign in as ${person.email}`}>
                    Sign in
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <form
          className="mt-6"
          action={async () => {
            "use server";
            await signIn("oidc", { redirectTo: "/" });
          }}
        >
          <button className="rounded bg-slate-900 px-4 py-2 text-white">Sign in with single sign-on</button>
        </form>
      )}
    </div>
  );
}
