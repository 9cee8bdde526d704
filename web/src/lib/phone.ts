/**
 * Phone validation mirroring the server's `E164Phone::parse` (crates/common/src/phone.rs),
 * so the form says "invalid phone" before the round trip. The server stays the authority.
 */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: "empty" | "characters" | "length" };

const ISRAEL = "972";
const SEPARATORS = new Set([" ", "-", ".", "(", ")", "/", "\u200f", "\u200e"]);

export function parsePhone(input: string): PhoneResult {
  let s = input.trim();
  if (s.startsWith("whatsapp:")) s = s.slice(9);
  else if (s.startsWith("tel:")) s = s.slice(4);
  let digits = "";
  let plus = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c >= "0" && c <= "9") digits += c;
    else if (c === "+" && i === 0) plus = true;
    else if (!SEPARATORS.has(c)) return { ok: false, reason: "characters" };
  }
  if (!digits) return { ok: false, reason: "empty" };
  let intl: string;
  if (plus) intl = digits;
  else if (digits.startsWith("00")) intl = digits.slice(2);
  else if (digits.startsWith(ISRAEL) && digits.length >= 11) intl = digits;
  else if (digits.startsWith("0")) {
    const national = digits.slice(1);
    if (national.length < 8 || national.length > 9) return { ok: false, reason: "length" };
    intl = ISRAEL + national;
  } else return { ok: false, reason: "length" };
  if (intl.startsWith(ISRAEL + "0")) intl = ISRAEL + intl.slice(4);
  if (intl.startsWith("0") || intl.length < 8 || intl.length > 15) return { ok: false, reason: "length" };
  if (intl.startsWith(ISRAEL)) {
    const n = intl.length - 3;
    if (n < 8 || n > 9) return { ok: false, reason: "length" };
  }
  return { ok: true, e164: `+${intl}` };
}
