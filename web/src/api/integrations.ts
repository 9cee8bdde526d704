/** n8n API keys and outgoing webhooks (docs/api.md "API keys", "Outgoing webhooks"). */
import { request } from "./http";

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_by_user_id: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}
export interface NewApiKey extends ApiKey {
  key: string;
}

export const WEBHOOK_EVENT_TYPES = [
  "lead.created", "lead.updated", "lead.deleted", "task.created", "task.updated", "task.deleted",
  "task.due", "call.ended", "notification.created",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookSubscription {
  id: string;
  url: string;
  event_types: WebhookEventType[];
  description: string;
  active: boolean;
  created_at: string;
  updated_at: string;
}
export interface NewWebhookSubscription extends WebhookSubscription {
  secret: string;
}

export const listApiKeys = () => request<ApiKey[]>("/api/api-keys", { tenant: true });
/** The key is returned once, here. */
export const createApiKey = (name: string) =>
  request<NewApiKey>("/api/api-keys", { method: "POST", body: { name }, tenant: true });
export const revokeApiKey = (id: string) =>
  request<void>(`/api/api-keys/${id}`, { method: "DELETE", tenant: true });

export const listWebhooks = () => request<WebhookSubscription[]>("/api/webhooks", { tenant: true });
/** The signing secret is returned once, here. */
export const createWebhook = (url: string, event_types: WebhookEventType[], description = "") =>
  request<NewWebhookSubscription>("/api/webhooks", {
    method: "POST",
    body: { url, event_types, description },
    tenant: true,
  });
export const setWebhookActive = (id: string, active: boolean) =>
  request<WebhookSubscription>(`/api/webhooks/${id}`, { method: "PATCH", body: { active }, tenant: true });
export const deleteWebhook = (id: string) =>
  request<void>(`/api/webhooks/${id}`, { method: "DELETE", tenant: true });
