/** Money is integer agorot everywhere; shown as shekels. */
export function formatAgorot(agorot: number, lang: string): string {
  return new Intl.NumberFormat(lang === "he" ? "he-IL" : "en-IL", {
    style: "currency",
    currency: "ILS",
  }).format(agorot / 100);
}

/** "12.5" shekels typed by a user -> 1250 agorot (rounded half-up). */
export function shekelsToAgorot(v: string | number): number {
  const n = typeof v === "number" ? v : Number(String(v).replace(",", "."));
  if (!Number.isFinite(n)) return 0;
  return Math.round(n * 100);
}
