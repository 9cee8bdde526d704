import { parsePhone } from "./phone";

// The same vectors as crates/common/src/phone_tests.rs: client and server agree.
describe("parsePhone", () => {
  it.each([
    ["050-1234567", "+972501234567"],
    ["0501234567", "+972501234567"],
    ["050 123 4567", "+972501234567"],
    ["03-1234567", "+97231234567"],
    ["02-6543210", "+97226543210"],
    ["077-1234567", "+972771234567"],
    ["972501234567", "+972501234567"],
    ["+972501234567", "+972501234567"],
    ["+972-50-123-4567", "+972501234567"],
    ["+972 (0)50 123 4567", "+972501234567"],
    ["00972501234567", "+972501234567"],
    ["whatsapp:+972501234567", "+972501234567"],
    ["+1 (415) 555-0100", "+14155550100"],
  ])("normalises %s", (input, want) => {
    expect(parsePhone(input)).toEqual({ ok: true, e164: want });
  });

  it.each([
    ["", "empty"],
    [" - ", "empty"],
    ["abc", "characters"],
    ["050-12a4567", "characters"],
    ["12345", "length"],
    ["050-123", "length"],
    ["+9725012345678901", "length"],
    ["+97250", "length"],
    ["+0501234567", "length"],
  ])("refuses %s", (input, reason) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason });
  });
});
