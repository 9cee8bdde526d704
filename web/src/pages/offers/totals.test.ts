import { estimateTotals, roundHalfUp } from "./totals";

describe("offer totals preview (server formula)", () => {
  it("rounds half away from zero", () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(-2.5)).toBe(-3);
  });

  it("computes lines, discount and 18% VAT in agorot", () => {
    const t = estimateTotals(
      [
        { description: "a", quantity: "2", price: "100", discount: "10" }, // 20000 - 2000
        { description: "b", quantity: "1.5", price: "0.99", discount: "0" }, // 148.5 -> 149
      ],
      1800,
    );
    expect(t.subtotal).toBe(18149);
    expect(t.vat).toBe(3267); // 3266.82
    expect(t.total).toBe(21416);
  });
});
