/**
 * The signed-in user (GET /api/auth/me) as server state, the system admin's
 * acting business, and session-expiry handling: any 401 from a signed-in call
 * drops the session and sends the user to /login with an explanation.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import * as auth from "../api/auth";
import type { Me } from "../api/auth";
import { ApiError, onSessionExpired, setActingBusiness } from "../api/http";
import { listBusinesses } from "../api/businesses";
import type { Business, User } from "../api/types";
import { DEFAULT_TZ } from "../lib/dates";

interface Session {
  loading: boolean;
  user: User | null;
  /** Own business, or for a system admin the acting one (null when none chosen). */
  business: Business | null;
  isAdmin: boolean;
  expired: boolean;
  tz: string;
  actingBusinessId: string | null;
  chooseBusiness: (id: string | null) => void;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
const ACTING_KEY = "prosaas.actingBusiness";

function storedActing(): string | null {
  try {
    return localStorage.getItem(ACTING_KEY);
  } catch {
    return null;
  }
}

async function fetchMe(): Promise<Me | null> {
  try {
    return await auth.me();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [expired, setExpired] = useState(false);
  const [acting, setActing] = useState<string | null>(() => {
    const id = storedActing();
    setActingBusiness(id);
    return id;
  });
  const meQuery = useQuery({ queryKey: ["me"], queryFn: fetchMe, retry: false, staleTime: 60_000 });
  const user = meQuery.data?.user ?? null;
  const isAdmin = user?.role === "system_admin";
  const businesses = useQuery({
    queryKey: ["businesses"],
    queryFn: listBusinesses,
    enabled: isAdmin,
  });

  useEffect(
    () =>
      onSessionExpired(() => {
        if (qc.getQueryData(["me"])) setExpired(true);
        qc.setQueryData(["me"], null);
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" });
      }),
    [qc],
  );

  const chooseBusiness = useCallback(
    (id: string | null) => {
      setActingBusiness(id);
      setActing(id);
      try {
        if (id) localStorage.setItem(ACTING_KEY, id);
        else localStorage.removeItem(ACTING_KEY);
      } catch {
        /* not remembered */
      }
      qc.removeQueries({ predicate: (q) => !["me", "businesses", "users"].includes(String(q.queryKey[0])) });
    },
    [qc],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      await auth.login(email, password);
      const me = await fetchMe();
      setExpired(false);
      // keep the "me" query object: its observers must see the new user
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" });
      qc.setQueryData(["me"], me);
    },
    [qc],
  );

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      setExpired(false);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" });
      qc.setQueryData(["me"], null);
    }
  }, [qc]);

  const business = isAdmin
    ? (businesses.data?.find((b) => b.id === acting) ?? null)
    : (meQuery.data?.business ?? null);

  const value = useMemo<Session>(
    () => ({
      loading: meQuery.isLoading,
      user,
      business,
      isAdmin,
      expired,
      tz: business?.timezone || DEFAULT_TZ,
      actingBusinessId: isAdmin ? acting : (user?.business_id ?? null),
      chooseBusiness,
      signIn,
      signOut,
    }),
    [meQuery.isLoading, user, business, isAdmin, expired, acting, chooseBusiness, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

/** Whether the signed-in user manages the business (owner/admin, or a system admin). */
export function useCanManage(): boolean {
  const { user } = useSession();
  return !!user && ["system_admin", "owner", "admin"].includes(user.role);
}
