import { request } from "./http";
import type { Role, User } from "./types";

export interface UserInput {
  email: string;
  password: string;
  name: string;
  role: Role;
  business_id?: string;
}

/** System admin: all users, or one business's with `businessId`; others: own business. */
export const listUsers = (businessId?: string | null) =>
  request<User[]>("/api/users", { query: { business_id: businessId ?? undefined } });
export const createUser = (body: UserInput) => request<User>("/api/users", { method: "POST", body });
export const updateUser = (
  id: string,
  body: Partial<Pick<User, "name" | "role" | "active">> & { password?: string },
) => request<User>(`/api/users/${id}`, { method: "PATCH", body });
export const deleteUser = (id: string) => request<void>(`/api/users/${id}`, { method: "DELETE" });
