import he from "./he.json";
import en from "./en.json";

function keys(o: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("translations", () => {
  it("Hebrew and English have the same keys", () => {
    expect(keys(he).sort()).toEqual(keys(en).sort());
  });

  it("every server refusal of user deletion has words in both languages", () => {
    for (const code of ["cannot_delete_self", "last_owner", "role_not_allowed"]) {
      expect(he.errors).toHaveProperty(code);
      expect(en.errors).toHaveProperty(code);
      expect(he.users.reason).toHaveProperty(code);
    }
  });
});
