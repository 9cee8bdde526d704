/** WhatsApp (docs/api.md "WhatsApp", served by the whatsapp service under /api/whatsapp/). */
import { buildUrl, request } from "./http";
import type { Page } from "./types";

export type WhatsAppState = "disconnected" | "waiting_for_qr" | "connecting" | "connected" | "logged_out";

export interface WhatsAppStatus {
  state: WhatsAppState;
  phone: string | null;
  qr_available: boolean;
  qr_rotations: number;
  last_error: string | null;
  last_inbound_at: string | null;
  auto_reply: boolean;
  updated_at: string | null;
}

export interface WhatsAppQr {
  qr: string;
  data_url: string;
  rotation: number;
  updated_at: string;
}

export interface Conversation {
  id: string;
  contact_phone: string | null;
  contact_name: string | null;
  lead_id: string | null;
  human_took_over: boolean;
  unread_count: number;
  last_message_at: string | null;
  last_message_preview: string | null;
  created_at: string;
  updated_at: string;
}

export type MessageStatus = "received" | "pending" | "sent" | "delivered" | "read" | "failed";

export interface WhatsAppMessage {
  id: string;
  conversation_id: string;
  direction: "inbound" | "outbound";
  author: "contact" | "ai" | "user";
  sent_by_user_id: string | null;
  text: string;
  status: MessageStatus;
  wa_message_id: string | null;
  created_at: string;
  updated_at: string;
}

export type ConversationPage = Page<Conversation> & { total_unread: number };

export const getStatus = () => request<WhatsAppStatus>("/api/whatsapp/status", { tenant: true });
export const getQr = () => request<WhatsAppQr>("/api/whatsapp/qr", { tenant: true });
export const startSession = () =>
  request<WhatsAppStatus>("/api/whatsapp/session", { method: "POST", tenant: true });
export const logoutSession = () =>
  request<void>("/api/whatsapp/session", { method: "DELETE", tenant: true });
export const listConversations = (page = 1, unread = false) =>
  request<ConversationPage>("/api/whatsapp/conversations", {
    query: { page, per_page: 30, unread: unread || undefined },
    tenant: true,
  });
/** Opens (or returns) the chat of a lead, so the team can write first. */
export const openLeadConversation = (leadId: string) =>
  request<Conversation>("/api/whatsapp/conversations", { method: "POST", body: { lead_id: leadId }, tenant: true });
export const getConversation = (id: string) =>
  request<Conversation>(`/api/whatsapp/conversations/${id}`, { tenant: true });
export const setHumanTookOver = (id: string, human_took_over: boolean) =>
  request<Conversation>(`/api/whatsapp/conversations/${id}`, {
    method: "PATCH",
    body: { human_took_over },
    tenant: true,
  });
export const markRead = (id: string) =>
  request<Conversation>(`/api/whatsapp/conversations/${id}/read`, { method: "POST", tenant: true });
export const listMessages = (id: string) =>
  request<Page<WhatsAppMessage>>(`/api/whatsapp/conversations/${id}/messages`, {
    query: { page: 1, per_page: 100 },
    tenant: true,
  });
export const sendMessage = (id: string, text: string) =>
  request<WhatsAppMessage>(`/api/whatsapp/conversations/${id}/messages`, {
    method: "POST",
    body: { text },
    tenant: true,
  });
/** SSE stream URL of the whatsapp service (QR rotations, status, messages). */
export const eventsUrl = () => buildUrl("/api/whatsapp/events", undefined, true);
