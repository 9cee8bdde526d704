/**
 * Live updates from GET /api/events (SSE): each event invalidates the queries
 * it makes stale, so lists and the notifications bell refresh by themselves.
 */
import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { eventsUrl } from "../api/notifications";

/** Which cached queries an event kind makes stale. */
export function staleKeysFor(kind: string): string[] {
  const family = kind.split(".")[0];
  switch (family) {
    case "lead":
      return ["leads", "lead", "dashboard"];
    case "call":
      return ["calls", "call", "dashboard", "lead-timeline"];
    case "whatsapp":
      return kind === "whatsapp.message" ? ["conversations", "messages", "dashboard"] : [];
    case "task":
      return ["tasks", "dashboard", "notifications"];
    case "notification":
      return ["notifications"];
    case "offer":
      return ["offers"];
    default:
      return [];
  }
}

export const LIVE_KINDS = [
  "lead.created", "lead.updated", "lead.deleted", "call.started", "call.status", "call.ended",
  "whatsapp.message", "task.due", "notification.created",
];

export function useLiveEvents(enabled: boolean, businessKey: string | null): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const source = new EventSource(eventsUrl(), { withCredentials: true });
    const handle = (ev: MessageEvent<string>) => {
      let kind = ev.type;
      try {
        const parsed = JSON.parse(ev.data) as { kind?: string };
        if (parsed.kind) kind = parsed.kind;
      } catch {
        /* keep-alive or non-JSON */
      }
      for (const key of staleKeysFor(kind)) void qc.invalidateQueries({ queryKey: [key] });
    };
    source.onmessage = handle;
    // The server lost our place (id unknown or too old): everything may be stale.
    source.addEventListener("reset", () => void qc.invalidateQueries());
    for (const kind of LIVE_KINDS) source.addEventListener(kind, handle as EventListener);
    return () => source.close();
  }, [enabled, businessKey, qc]);
}
