import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { isSandboxMode } from "@/lib/config";
import { recordSignIn } from "@/lib/auth/sign-in";

const sandboxSignInSchema = z.object({ email: z.email().max(254) });

function buildProviders(): Provider[] {
  const providers: Provider[] = [];
  if (process.env.AUTH_OIDC_ISSUER) {
    providers.push({
      id: "oidc",
      name: process.env.AUTH_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer: process.env.AUTH_OIDC_ISSUER,
      clientId: process.env.AUTH_OIDC_CLIENT_ID,
      clientSecret: process.env.AUTH_OIDC_CLIENT_SECRET,
    });
  }
  // The sandbox sign-in trusts the visitor's choice of person, so it exists only in
  // sandbox mode. `authorize` checks the mode again in case the flag changes at run time.
  if (isSandboxMode()) {
    providers.push(
      Credentials({
        id: "sandbox",
        name: "Sandbox person",
        credentials: { email: { label: "Person", type: "text" } },
        async authorize(raw) {
          if (!isSandboxMode()) return null;
          const parsed = sandboxSignInSchema.safeParse(raw);
          if (!parsed.success) return null;
          const person = await getDb().person.findUnique({ where: { email: parsed.data.email } });
          if (!person) return null;
          await recordSignIn(person, "sandbox");
          return { id: person.id, email: person.email, name: person.name };
        },
      }),
    );
  }
  return providers;
}

export const authConfig = {
  providers: buildProviders(),
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/signin" },
  trustHost: true,
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      // OIDC users must already be registered people; roles are never taken from the IdP.
      if (!user.email) return false;
      const person = await getDb().person.findUnique({ where: { email: user.email.toLowerCase() } });
      if (!person) return false;
      await recordSignIn(person, "oidc");
      user.id = person.id;
      return true;
    },
    jwt({ token, user }) {
      if (user?.id) token.personId = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.personId === "string") session.user.id = token.personId;
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
