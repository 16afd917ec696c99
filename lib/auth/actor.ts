import { auth } from "@/auth";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";

export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  accountId: string;
  ssoUserName: string | null;
}

/** Loads the signed-in person from the database, so roles are always current. */
export async function getActor(): Promise<Actor | null> {
  const session = await auth();
  const personId = session?.user?.id;
  if (!personId) return null;
  const person = await getDb().person.findUnique({ where: { id: personId } });
  if (!person) return null;
  return {
    id: person.id,
    email: person.email,
    name: person.name,
    roles: person.roles,
    accountId: person.accountId,
    ssoUserName: person.ssoUserName,
  };
}

/** Returns the signed-in person when they hold one of `roles`; throws UNAUTHENTICATED or FORBIDDEN otherwise. */
export async function requireActor(roles: readonly Role[]): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!roles.some((role) => actor.roles.includes(role))) {
    throw new AppError("FORBIDDEN", `This needs one of the roles: ${roles.join(", ")}.`);
  }
  return actor;
}

export function hasRole(actor: Actor | null, role: Role): boolean {
  return actor?.roles.includes(role) ?? false;
}
