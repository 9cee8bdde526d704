/** Dates are stored in UTC and always shown in the business's time zone. */
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TZ = "Asia/Jerusalem";

/** "25/11/2026 14:05" (he) or "11/25/2026, 2:05 PM" (en) in `tz`. */
export function formatDateTime(iso: string | null | undefined, tz: string, lang: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(lang === "he" ? "he-IL" : "en-GB", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    }).format(d);
  } catch {
    return dayjs(d).utc().format("YYYY-MM-DD HH:mm [UTC]");
  }
}

/** Start and end (exclusive) of "today" in `tz`, as UTC ISO strings. */
export function todayRange(tz: string, now: Date = new Date()): { from: string; to: string } {
  const start = dayjs(now).tz(tz).startOf("day");
  return { from: start.toISOString(), to: start.add(1, "day").toISOString() };
}

/** A local wall-clock value picked in `tz` ("YYYY-MM-DDTHH:mm") to a UTC ISO string. */
export function zonedToUtc(local: string, tz: string): string {
  return dayjs.tz(local, tz).toISOString();
}

export { dayjs };
