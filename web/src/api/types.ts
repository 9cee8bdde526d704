/** Core types of docs/api.md (foundation contract). */

export type Role = "system_admin" | "owner" | "admin" | "agent";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  business_id: string | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Business {
  id: string;
  name: string;
  slug: string;
  twilio_phone_number: string | null;
  whatsapp_phone: string | null;
  timezone: string;
  locale: string;
  ai_prompt: string;
  ai_greeting: string;
  ai_voice: string;
  ai_language: string;
  fallback_phone: string | null;
  record_calls: boolean;
  whatsapp_auto_reply: boolean;
  vat_rate_bp: number;
  created_at: string;
  updated_at: string;
}

export type LeadSource = "call" | "whatsapp" | "manual" | "api";
export type LeadStatus = "new" | "contacted" | "qualified" | "won" | "lost";
export const LEAD_SOURCES: LeadSource[] = ["call", "whatsapp", "manual", "api"];
export const LEAD_STATUSES: LeadStatus[] = ["new", "contacted", "qualified", "won", "lost"];

export interface Lead {
  id: string;
  business_id: string;
  name: string;
  phone: string | null;
  email: string | null;
  source: LeadSource;
  status: LeadStatus;
  notes: string;
  assigned_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}
