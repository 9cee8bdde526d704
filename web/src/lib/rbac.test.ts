import type { Role, User } from "../api/types";
import { canDeleteAnyUser, mayDeleteUser } from "./rbac";

const A = "biz-a";
const B = "biz-b";
function user(id: string, role: Role, business_id: string | null, active = true): User {
  return { id, email: `${id}@x.test`, name: id, role, business_id, active, created_at: "", updated_at: "" };
}

const admin = user("admin", "system_admin", null);
const ownerA = user("ownerA", "owner", A);
const owner2A = user("owner2A", "owner", A);
const adminA = user("adminA", "admin", A);
const agentA = user("agentA", "agent", A);
const ownerB = user("ownerB", "owner", B);
const agentB = user("agentB", "agent", B);

// Brief 5.2, table-driven like crates/tenant/src/policy.rs.
describe("mayDeleteUser", () => {
  const oneOwner = [admin, ownerA, adminA, agentA, ownerB, agentB];
  const twoOwners = [...oneOwner, owner2A];
  it.each<[string, User, User, User[], string]>([
    ["admin deletes an agent anywhere", admin, agentB, oneOwner, "ok"],
    ["admin cannot delete the only owner", admin, ownerA, oneOwner, "last_owner"],
    ["admin deletes one of two owners", admin, ownerA, twoOwners, "ok"],
    ["admin cannot delete themself", admin, admin, oneOwner, "cannot_delete_self"],
    ["owner deletes an agent of own business", ownerA, agentA, oneOwner, "ok"],
    ["owner deletes an admin of own business", ownerA, adminA, oneOwner, "ok"],
    ["owner deletes another owner when two", ownerA, owner2A, twoOwners, "ok"],
    ["owner cannot delete another business's user", ownerA, agentB, oneOwner, "role_not_allowed"],
    ["sole owner looking at themself learns it is the last owner", ownerA, ownerA, oneOwner, "last_owner"],
    ["one of two owners cannot delete themself", ownerA, ownerA, twoOwners, "cannot_delete_self"],
    ["admin role cannot delete", adminA, agentA, oneOwner, "role_not_allowed"],
    ["agent cannot delete", agentA, adminA, oneOwner, "role_not_allowed"],
  ])("%s", (_name, actor, target, users, want) => {
    const d = mayDeleteUser(actor, target, users);
    expect(d.allowed ? "ok" : d.reason).toBe(want);
  });

  it("inactive owners do not count as the remaining owner", () => {
    const inactive = user("old", "owner", A, false);
    const d = mayDeleteUser(admin, ownerA, [ownerA, inactive]);
    expect(d).toEqual({ allowed: false, reason: "last_owner" });
  });

  it("only system admins and owners see delete buttons", () => {
    expect([admin, ownerA, adminA, agentA].map(canDeleteAnyUser)).toEqual([true, true, false, false]);
  });
});
