import { request } from "./http";
import type { Lead, LeadSource, LeadStatus, Page } from "./types";

export type LeadSort = "created_at" | "-created_at" | "updated_at" | "-updated_at" | "name" | "-name";

export interface LeadFilter {
  status?: LeadStatus | "";
  source?: LeadSource | "";
  q?: string;
  sort?: LeadSort;
  page?: number;
  per_page?: number;
}

export interface LeadInput {
  name: string;
  phone?: string | null;
  email?: string | null;
  source?: LeadSource;
  status?: LeadStatus;
  notes?: string;
  assigned_user_id?: string | null;
}

export const listLeads = (f: LeadFilter) =>
  request<Page<Lead>>("/api/leads", { query: { ...f }, tenant: true });
export const getLead = (id: string) => request<Lead>(`/api/leads/${id}`, { tenant: true });
export const createLead = (body: LeadInput) =>
  request<Lead>("/api/leads", { method: "POST", body, tenant: true });
export const updateLead = (id: string, body: Partial<LeadInput>) =>
  request<Lead>(`/api/leads/${id}`, { method: "PATCH", body, tenant: true });
/** The same call from the desktop table and the mobile cards (brief 5.1). */
export const deleteLead = (id: string) =>
  request<void>(`/api/leads/${id}`, { method: "DELETE", tenant: true });
