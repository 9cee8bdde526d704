import { request } from "./http";
import type { Business } from "./types";

export interface NewBusinessInput {
  name: string;
  slug?: string;
  twilio_phone_number?: string | null;
  whatsapp_phone?: string | null;
  timezone?: string;
  locale?: string;
}

export type BusinessChanges = Partial<Omit<Business, "id" | "created_at" | "updated_at">>;

export const listBusinesses = () => request<Business[]>("/api/businesses");
export const createBusiness = (body: NewBusinessInput) =>
  request<Business>("/api/businesses", { method: "POST", body });
export const updateBusiness = (id: string, body: BusinessChanges) =>
  request<Business>(`/api/businesses/${id}`, { method: "PATCH", body });
/** The signed-in user's own business (system admins: the acting one). */
export const getOwnBusiness = () => request<Business>("/api/business", { tenant: true });
export const updateOwnBusiness = (body: BusinessChanges) =>
  request<Business>("/api/business", { method: "PATCH", body, tenant: true });
