/** Calls (docs/api.md "Calls (voice)"). */
import { request } from "./http";
import type { Page } from "./types";

export type CallDirection = "inbound" | "outbound";
export type CallStatus =
  | "queued" | "initiated" | "ringing" | "in-progress" | "completed"
  | "busy" | "failed" | "no-answer" | "canceled";

export interface TranscriptTurn {
  role: "assistant" | "caller";
  text: string;
  at_ms?: number;
}

export interface CallListItem {
  id: string;
  business_id: string;
  lead_id: string | null;
  direction: CallDirection;
  call_sid: string | null;
  from_phone: string;
  to_phone: string;
  status: CallStatus;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  has_recording: boolean;
  recording_duration_seconds: number | null;
  first_response_ms: number | null;
  summary: string | null;
  created_at: string;
  updated_at: string;
}

export interface Call extends CallListItem {
  transcript: TranscriptTurn[];
}

export interface CallFilter {
  direction?: CallDirection | "";
  status?: CallStatus | "";
  lead_id?: string;
  from?: string;
  to?: string;
  page?: number;
  per_page?: number;
}

export const listCalls = (f: CallFilter = {}) =>
  request<Page<CallListItem>>("/api/calls", { query: { ...f }, tenant: true });
export const getCall = (id: string) => request<Call>(`/api/calls/${id}`, { tenant: true });
/** "Call this lead": an outbound AI call from the business number. */
export const callLead = (leadId: string) =>
  request<Call>("/api/calls", { method: "POST", body: { lead_id: leadId }, tenant: true });
/** Same-origin URL for `<audio src>`; the session cookie authenticates it. */
export const recordingUrl = (id: string, businessId?: string | null) =>
  `/api/calls/${id}/recording${businessId ? `?business_id=${businessId}` : ""}`;
