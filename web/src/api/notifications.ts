/**
 * Notifications and live events (issue 5). Built from the issue text until the
 * CRM contract lands in docs/api.md; adjust here only.
 */
import { buildUrl, request } from "./http";
import type { Page } from "./types";

export interface Notification {
  id: string;
  kind: string;
  title?: string | null;
  body?: string | null;
  link?: string | null;
  read_at: string | null;
  created_at: string;
}

export type NotificationPage = Page<Notification> & { unread_count?: number; unread?: number };

export const listNotifications = (page = 1) =>
  request<NotificationPage>("/api/notifications", { query: { page, per_page: 20 }, tenant: true });
export const markNotificationRead = (id: string) =>
  request<unknown>(`/api/notifications/${id}/read`, { method: "POST", tenant: true });
export const markAllNotificationsRead = () =>
  request<unknown>("/api/notifications/read-all", { method: "POST", tenant: true });

/** Unread count whatever name the server gives it. */
export function unreadOf(p: NotificationPage | undefined): number {
  if (!p) return 0;
  return p.unread_count ?? p.unread ?? p.items.filter((n) => !n.read_at).length;
}

/** Envelope of every live event (docs/api.md "Events"). */
export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  business_id: string;
  kind: string;
  at: string;
  data: T;
}

/** SSE stream of the signed-in user's business. */
export const eventsUrl = () => buildUrl("/api/events", undefined, true);
