"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the server page every `seconds` while `enabled`, to show background work live. */
export function AutoRefresh({ enabled, seconds = 1.5 }: { enabled: boolean; seconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(timer);
  }, [enabled, seconds, router]);
  return enabled ? <p className="text-xs text-slate-500" role="status">Updating live…</p> : null;
}
