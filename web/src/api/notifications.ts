/** Notifications and live events (docs/api.md "Notifications, live events, ..."). */
import { buildUrl, request } from "./http";
import type { Page } from "./types";

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown>;
  user_id: string | null;
  read: boolean;
  read_at: string | null;
  created_at: string;
}

export type NotificationPage = Page<Notification> & { unread_count: number };

export const listNotifications = (page = 1) =>
  request<NotificationPage>("/api/notifications", { query: { page, per_page: 20 }, tenant: true });
export const markNotificationRead = (id: string) =>
  request<Notification>(`/api/notifications/${id}/read`, { method: "POST", tenant: true });
export const markAllNotificationsRead = () =>
  request<{ marked: number }>("/api/notifications/read-all", { method: "POST", tenant: true });

export function unreadOf(p: NotificationPage | undefined): number {
  return p?.unread_count ?? 0;
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
