/** n8n API keys and outgoing webhooks (issue 5). Adjust here when the contract lands. */
import { request } from "./http";

export interface ApiKey {
  id: string;
  name: string;
  prefix?: string | null;
  created_at: string;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  event_types: string[];
  active?: boolean;
  created_at: string;
}

function arr<T>(r: T[] | { items: T[] }): T[] {
  return Array.isArray(r) ? r : r.items;
}

export const listApiKeys = async () =>
  arr(await request<ApiKey[] | { items: ApiKey[] }>("/api/api-keys", { tenant: true }));
/** The secret is returned once, here. */
export const createApiKey = (name: string) =>
  request<ApiKey & { key?: string; token?: string; secret?: string }>("/api/api-keys", {
    method: "POST",
    body: { name },
    tenant: true,
  });
export const revokeApiKey = (id: string) =>
  request<void>(`/api/api-keys/${id}`, { method: "DELETE", tenant: true });

export const listWebhooks = async () =>
  arr(await request<WebhookSubscription[] | { items: WebhookSubscription[] }>("/api/webhooks", { tenant: true }));
export const createWebhook = (url: string, event_types: string[]) =>
  request<WebhookSubscription & { secret?: string }>("/api/webhooks", {
    method: "POST",
    body: { url, event_types },
    tenant: true,
  });
export const deleteWebhook = (id: string) =>
  request<void>(`/api/webhooks/${id}`, { method: "DELETE", tenant: true });

export const WEBHOOK_EVENT_TYPES = [
  "lead.created", "lead.updated", "lead.deleted", "call.started", "call.ended",
  "whatsapp.message", "task.due", "offer.signed",
];
