import { getDb } from "@/lib/db";

/** Id of the person the mocked next-auth session returns as signed in, or null for no session. */
export const testSession: { personId: string | null } = { personId: null };

export async function signInAs(email: string | null): Promise<void> {
  if (email === null) {
    testSession.personId = null;
    return;
  }
  const person = await getDb().person.findUniqueOrThrow({ where: { email } });
  testSession.personId = person.id;
}
