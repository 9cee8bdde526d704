/**
 * The one place that talks HTTP to our backend. Same origin (nginx routes /api/),
 * cookies carry the session. Every error becomes an {@link ApiError} with the
 * backend's stable `code`, so pages can translate it.
 */

/** An error answered by the API (`{"error":{"code","message"}}`) or the network. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called whenever a signed-in request answers 401 (the session expired or was revoked). */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

let actingBusinessId: string | null = null;

/**
 * A system admin acts inside one business on tenant endpoints through
 * `?business_id=`; business users never need it (the server uses their own).
 */
export function setActingBusiness(id: string | null): void {
  actingBusinessId = id;
}

export function getActingBusiness(): string | null {
  return actingBusinessId;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `/api/...?...`, dropping empty values; `tenant` adds the acting business. */
export function buildUrl(path: string, query?: Query, tenant = false): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  if (tenant && actingBusinessId && !params.has("business_id")) {
    params.set("business_id", actingBusinessId);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  query?: Query;
  body?: unknown;
  /** Tenant endpoint: a system admin's acting business is appended. */
  tenant?: boolean;
  /** Do not treat 401 as an expired session (login, me, public pages). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

/** Sends one request and parses the JSON answer (undefined for 204). */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const url = buildUrl(path, opts.query, opts.tenant);
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? "GET",
      headers,
      body,
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", "network error");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    const apiError = new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? res.statusText ?? "request failed",
    );
    if (res.status === 401 && !opts.anonymous) {
      expiredListeners.forEach((l) => l());
    }
    throw apiError;
  }
  return json as T;
}
