/**
 * A preview of the offer totals while typing, with the server's formula
 * (docs/api.md: half-up rounding at each step, integer agorot). The server's
 * numbers are the ones stored and shown afterwards.
 */
import { shekelsToAgorot } from "../../lib/money";

export interface DraftLine { description: string; quantity: string; price: string; discount: string }

/** Half-up (away from zero) rounding, as the server does. */
export function roundHalfUp(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export function estimateTotals(lines: DraftLine[], vatRateBp: number) {
  let subtotal = 0;
  for (const l of lines) {
    const qtyMilli = Math.round(Number(l.quantity || 0) * 1000);
    const unit = shekelsToAgorot(l.price || 0);
    const discountBp = Math.round(Number(l.discount || 0) * 100);
    if (!Number.isFinite(qtyMilli) || !Number.isFinite(discountBp)) continue;
    const gross = roundHalfUp((qtyMilli * unit) / 1000);
    const disc = roundHalfUp((gross * discountBp) / 10000);
    subtotal += gross - disc;
  }
  const vat = roundHalfUp((subtotal * vatRateBp) / 10000);
  return { subtotal, vat, total: subtotal + vat };
}
