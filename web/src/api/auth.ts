import { request } from "./http";
import type { Business, User } from "./types";

export interface Me {
  user: User;
  business: Business | null;
}

export const login = (email: string, password: string) =>
  request<{ user: User }>("/api/auth/login", {
    method: "POST",
    body: { email, password },
    anonymous: true,
  });

export const logout = () => request<void>("/api/auth/logout", { method: "POST", anonymous: true });

export const me = () => request<Me>("/api/auth/me", { anonymous: true });
