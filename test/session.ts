import { getDb } from "@/lib/db";

/** Who the mocked next-auth session says is signed in; null means nobody. */
export const testSession: { personId: string | null } = { personId: null };

export async function signInAs(email: string | null): Promise<void> {
  if (email === null) {
    testSession.personId = null;
    return;
  }
  const person = await getDb().person.findUniqueOrThrow({ where: { email } });
  testSession.personId = person.id;
}
