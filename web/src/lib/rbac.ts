/**
 * Who may delete which user: the UI's copy of the server policy
 * (crates/tenant/src/policy.rs `may_delete_user`, brief 5.2), used to hide or
 * disable delete buttons with a reason. The server still decides.
 */
import type { User } from "../api/types";

export type DeleteRefusal = "cannot_delete_self" | "role_not_allowed" | "last_owner";
export type DeleteDecision = { allowed: true } | { allowed: false; reason: DeleteRefusal };

/** Active owners of `businessId` in `users`, except `exceptId`. */
function otherActiveOwners(users: User[], businessId: string | null, exceptId: string): number {
  return users.filter(
    (u) => u.role === "owner" && u.active && u.business_id === businessId && u.id !== exceptId,
  ).length;
}

/** Whether `actor` can ever delete anybody (otherwise the column is hidden). */
export function canDeleteAnyUser(actor: User): boolean {
  return actor.role === "system_admin" || actor.role === "owner";
}

export function mayDeleteUser(actor: User, target: User, users: User[]): DeleteDecision {
  const lastOwner =
    target.role === "owner" && otherActiveOwners(users, target.business_id, target.id) === 0;
  if (actor.id === target.id) {
    // The sole owner looking at their own row learns the deeper reason too.
    return { allowed: false, reason: lastOwner ? "last_owner" : "cannot_delete_self" };
  }
  if (!canDeleteAnyUser(actor)) return { allowed: false, reason: "role_not_allowed" };
  if (actor.role === "owner" && actor.business_id !== target.business_id) {
    return { allowed: false, reason: "role_not_allowed" };
  }
  if (lastOwner) return { allowed: false, reason: "last_owner" };
  return { allowed: true };
}
