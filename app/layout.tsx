import type { Metadata } from "next";
import Link from "next/link";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import { signOut } from "@/auth";
import { getActor, type Actor } from "@/lib/auth/actor";
import "./globals.css";

export const metadata: Metadata = {
  title: "Access Portal",
  description: "Time-limited, least-privilege access to shared S3 datasets",
};

const NAV: { href: string; label: string; visible: (actor: Actor) => boolean }[] = [
  { href: "/datasets", label: "Datasets", visible: (actor) => actor.roles.includes("REQUESTER") },
  { href: "/requests", label: "My requests", visible: (actor) => actor.roles.includes("REQUESTER") },
  { href: "/approvals", label: "Approvals", visible: (actor) => actor.roles.includes("CONSUMER_APPROVER") || actor.roles.includes("DATA_OWNER") },
  { href: "/grants", label: "Grants", visible: (actor) => actor.roles.includes("DATA_OWNER") },
  { href: "/audit", label: "Audit trail", visible: (actor) => actor.roles.includes("COMPLIANCE_REVIEWER") },
  { href: "/admin/datasets", label: "Datasets", visible: (actor) => actor.roles.includes("ADMINISTRATOR") },
];

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const actor = await getActor();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3">
            <Link href="/" className="font-semibold text-slate-900">
              Access Portal
            </Link>
            <nav className="flex gap-4 text-sm">
              {actor &&
                NAV.filter((item) => item.visible(actor)).map((item) => (
                  <Link key={item.href} href={item.href} className="text-slate-600 hover:text-slate-900">
                    {item.label}
                  </Link>
                ))}
            </nav>
            <div className="ml-auto flex items-center gap-3 text-sm">
              {actor ? (
                <>
                  <span className="text-slate-600" data-testid="signed-in-as">
                    {actor.name} · {actor.email}
                  </span>
                  <form
                    action={async () => {
                      "use server";
                      await signOut({ redirectTo: "/signin" });
                    }}
                  >
                    <button className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">Sign out</button>
                  </form>
                </>
              ) : (
                <Link href="/signin">Sign in</Link>
              )}
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
