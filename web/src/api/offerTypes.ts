export type OfferStatus = "draft" | "sent" | "signed" | "declined";

export interface LineItemInput {
  description: string;
  quantity: number;
  unit_price_agorot: number;
  discount_bp?: number;
}

export interface LineItem {
  position: number;
  description: string;
  quantity: number;
  unit_price_agorot: number;
  discount_bp: number;
  gross_agorot: number;
  discount_agorot: number;
  total_agorot: number;
}

export interface Totals {
  vat_rate_bp: number;
  gross_agorot: number;
  discount_agorot: number;
  subtotal_agorot: number;
  vat_agorot: number;
  total_agorot: number;
}

export interface SignatureInfo {
  signer_name: string;
  signed_at: string;
  ip: string;
  user_agent: string;
  document_sha256: string;
}

export interface Offer extends Totals {
  id: string;
  business_id: string;
  lead_id: string | null;
  title: string;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  notes: string;
  valid_until: string | null;
  status: OfferStatus;
  currency: "ILS";
  items: LineItem[];
  sent_at: string | null;
  signed_at: string | null;
  declined_at: string | null;
  signature: SignatureInfo | null;
  invoice_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Invoice extends Totals {
  id: string;
  business_id: string;
  number: number;
  offer_id: string | null;
  lead_id: string | null;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  notes: string;
  currency: "ILS";
  items: LineItem[];
  issued_at: string;
  /** The issue day in the business's time zone ("YYYY-MM-DD"), as printed. */
  issued_on: string;
  created_at: string;
  updated_at: string;
}
