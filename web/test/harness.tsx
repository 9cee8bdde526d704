/** Renders the real routes and providers with a scripted fetch. */
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import "../src/i18n";
import { AppRoutes } from "../src/App";
import { Providers, makeQueryClient } from "../src/providers";

export type Handler = (url: URL, init: RequestInit) => { status: number; body?: unknown } | undefined;

export function stubApi(handlers: Record<string, Handler | { status: number; body?: unknown }>) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const fn = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    calls.push({ method, path: url.pathname + url.search, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const key = `${method} ${url.pathname}`;
    const h = handlers[key];
    const answer = typeof h === "function" ? h(url, init) : h;
    if (!answer) return new Response(JSON.stringify({ error: { code: "not_found", message: key } }), { status: 404 });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

export function renderApp(path: string) {
  return render(
    <Providers client={makeQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
      </MemoryRouter>
    </Providers>,
  );
}

export const BUSINESS = {
  id: "b1", name: "עסק לדוגמה", slug: "demo", twilio_phone_number: null, whatsapp_phone: null, timezone: "Asia/Jerusalem",
  locale: "he", ai_prompt: "", ai_greeting: "", ai_voice: "alloy", ai_language: "he", fallback_phone: null,
  record_calls: false, whatsapp_auto_reply: true, vat_rate_bp: 1800, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
};

export function makeUser(id: string, role: string, business_id: string | null = "b1") {
  return { id, email: `${id}@example.com`, name: id, role, business_id, active: true, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };
}

export function lead(id: string, name: string) {
  return {
    id, business_id: "b1", name, phone: "+972501234567", email: null, source: "manual", status: "new", notes: "",
    assigned_user_id: null, created_at: "2026-11-25T10:00:00Z", updated_at: "2026-11-25T10:00:00Z",
  };
}
