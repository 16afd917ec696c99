import { getDb } from "@/lib/db";
import { recordAudit } from "@/lib/audit/log";
import type { Person } from "@/lib/generated/prisma/client";

const PRIVILEGED_ROLES = new Set(["CONSUMER_APPROVER", "DATA_OWNER", "COMPLIANCE_REVIEWER", "ADMINISTRATOR"]);

/** Records sign-ins of people who hold a privileged role in the audit trail. */
export async function recordSignIn(person: Person, provider: string): Promise<void> {
  const privileged = person.roles.filter((role) => PRIVILEGED_ROLES.has(role));
  if (privileged.length === 0) return;
  await getDb().$transaction((tx) =>
    recordAudit(tx, {
      action: "auth.signed_in",
      actor: { id: person.id, email: person.email },
      subjectType: "person",
      subjectId: person.id,
      data: { provider, roles: person.roles },
    }),
  );
}
