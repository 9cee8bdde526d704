import { formatDateTime, todayRange, zonedToUtc } from "./dates";

describe("dates in the business time zone", () => {
  it("shows a UTC instant in Jerusalem time", () => {
    // 10:30 UTC in winter is 12:30 in Israel (UTC+2)
    expect(formatDateTime("2026-11-25T10:30:00Z", "Asia/Jerusalem", "he")).toContain("12:30");
    expect(formatDateTime("2026-11-25T10:30:00Z", "UTC", "en")).toContain("10:30");
  });

  it("crosses midnight by the business's clock, not the browser's", () => {
    expect(formatDateTime("2026-11-25T23:30:00Z", "Asia/Jerusalem", "he")).toContain("26");
  });

  it("is empty for missing values", () => {
    expect(formatDateTime(null, "Asia/Jerusalem", "he")).toBe("");
    expect(formatDateTime("not a date", "Asia/Jerusalem", "he")).toBe("");
  });

  it("today starts at local midnight", () => {
    const r = todayRange("Asia/Jerusalem", new Date("2026-11-25T10:00:00Z"));
    expect(r.from).toBe("2026-11-24T22:00:00.000Z");
    expect(r.to).toBe("2026-11-25T22:00:00.000Z");
  });

  it("turns wall-clock time picked for the business into UTC", () => {
    expect(zonedToUtc("2026-07-01T09:00", "Asia/Jerusalem")).toBe("2026-07-01T06:00:00.000Z");
  });
});
