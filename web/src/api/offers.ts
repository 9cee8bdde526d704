/** Offers, invoices and public signing (docs/api.md "Offers, invoices, e-signatures"). */
import { request } from "./http";
import type { LineItemInput, Offer, Invoice, LineItem, SignatureInfo, Totals } from "./offerTypes";
import type { Page } from "./types";

export type * from "./offerTypes";

export interface OfferInput {
  title: string;
  customer_name: string;
  customer_email?: string | null;
  customer_phone?: string | null;
  lead_id?: string | null;
  notes?: string;
  valid_until?: string | null;
  items: LineItemInput[];
}

export interface SendResult {
  offer: Offer;
  signing_url: string;
  token: string;
  expires_at: string;
}

export const listOffers = (f: { status?: string; lead_id?: string; page?: number } = {}) =>
  request<Page<Offer>>("/api/offers", { query: { ...f }, tenant: true });
export const createOffer = (body: OfferInput) =>
  request<Offer>("/api/offers", { method: "POST", body, tenant: true });
export const sendOffer = (id: string) =>
  request<SendResult>(`/api/offers/${id}/send`, { method: "POST", body: {}, tenant: true });
export const declineOffer = (id: string) =>
  request<Offer>(`/api/offers/${id}/decline`, { method: "POST", tenant: true });
export const invoiceOffer = (id: string) =>
  request<Invoice>(`/api/offers/${id}/invoice`, { method: "POST", tenant: true });
export const deleteOffer = (id: string) =>
  request<void>(`/api/offers/${id}`, { method: "DELETE", tenant: true });

export const getOfferSignature = (id: string) =>
  request<SignatureInfo & { signature_png_data_url: string }>(`/api/offers/${id}/signature`, { tenant: true });

export const listInvoices = (page = 1) =>
  request<Page<Invoice>>("/api/invoices", { query: { page }, tenant: true });
/** Printable Hebrew HTML of an offer, served by the api (opened in a new tab). */
export const offerPrintUrl = (id: string, businessId?: string | null) =>
  `/api/offers/${id}/print${businessId ? `?business_id=${businessId}` : ""}`;

/** Printable Hebrew HTML served by the api (opened in a new tab). */
export const invoicePrintUrl = (id: string, businessId?: string | null) =>
  `/api/invoices/${id}/print${businessId ? `?business_id=${businessId}` : ""}`;

export interface PublicOffer extends Totals {
  id: string;
  title: string;
  customer_name: string;
  notes: string;
  valid_until: string | null;
  status: string;
  currency: "ILS";
  items: LineItem[];
}

export interface PublicSigning {
  business: { name: string };
  offer: PublicOffer;
  expires_at: string;
  document_sha256: string;
}

export const getSigning = (token: string) =>
  request<PublicSigning>(`/api/public/sign/${encodeURIComponent(token)}`, { anonymous: true });
export const submitSignature = (token: string, signer_name: string, signature_png_data_url: string) =>
  request<{ status: "signed"; signed_at: string; document_sha256: string }>(
    `/api/public/sign/${encodeURIComponent(token)}`,
    { method: "POST", body: { signer_name, signature_png_data_url }, anonymous: true },
  );
export const declineSigning = (token: string, reason?: string) =>
  request<{ status: "declined" }>(`/api/public/sign/${encodeURIComponent(token)}/decline`, {
    method: "POST",
    body: { reason },
    anonymous: true,
  });
