/** Formats a time as "2026-12-04 20:46 UTC", or an em dash when there is none. */
export function formatUtc(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}
