import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/actor";

export const dynamic = "force-dynamic";

/** Sends each person to the page of their main role. */
export default async function HomePage() {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  if (actor.roles.includes("REQUESTER")) redirect("/datasets");
  if (actor.roles.includes("CONSUMER_APPROVER") || actor.roles.includes("DATA_OWNER")) redirect("/approvals");
  if (actor.roles.includes("COMPLIANCE_REVIEWER")) redirect("/audit");
  if (actor.roles.includes("ADMINISTRATOR")) redirect("/admin/datasets");
  return <p>Signed in as {actor.email}. This account has no role with a page yet.</p>;
}
