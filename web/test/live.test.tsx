import { act, screen, waitFor } from "@testing-library/react";
import i18n from "../src/i18n";
import { staleKeysFor } from "../src/components/useLiveEvents";
import { BUSINESS, makeUser, renderApp, stubApi } from "./harness";

/** A stand-in for the browser's EventSource that the test drives. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  static all: FakeEventSource[] = [];
  url: string;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  listeners = new Map<string, ((ev: MessageEvent) => void)[]>();
  closed = false;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (ev: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(kind: string, data: unknown) {
    const ev = new MessageEvent(kind, { data: JSON.stringify({ id: "e1", business_id: "b1", kind, at: "", data }) });
    this.listeners.get(kind)?.forEach((fn) => fn(ev));
  }
}

beforeEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage("he");
  vi.stubGlobal("EventSource", FakeEventSource);
});
afterEach(() => vi.unstubAllGlobals());

describe("notifications bell, live from /api/events", () => {
  it("refreshes the unread count when a notification.created event arrives", async () => {
    let unread = 0;
    stubApi({
      "GET /api/auth/me": { status: 200, body: { user: makeUser("o", "owner"), business: BUSINESS } },
      "GET /api/notifications": () => ({ status: 200, body: { items: [], page: 1, per_page: 20, total: 0, unread_count: unread } }),
      "GET /api/leads": { status: 200, body: { items: [], page: 1, per_page: 5, total: 0 } },
    });
    renderApp("/leads");
    await waitFor(() => expect(screen.getByTestId("notifications-unread")).toHaveAttribute("data-count", "0"));
    expect(FakeEventSource.last?.url).toBe("/api/events");
    unread = 2;
    act(() => FakeEventSource.last?.emit("notification.created", { notification_id: "n1", kind: "call.missed" }));
    await waitFor(() => expect(screen.getByTestId("notifications-unread")).toHaveAttribute("data-count", "2"));
  });

  it("maps event kinds to the lists they make stale", () => {
    expect(staleKeysFor("lead.created")).toContain("leads");
    expect(staleKeysFor("call.ended")).toContain("calls");
    expect(staleKeysFor("notification.created")).toEqual(["notifications"]);
    expect(staleKeysFor("whatsapp.qr")).toEqual([]);
  });
});

describe("WhatsApp connect page", () => {
  it("shows the QR from our API and swaps it when the live stream says it rotated", async () => {
    const status = { state: "waiting_for_qr", phone: null, qr_available: true, qr_rotations: 1, last_error: null,
      last_inbound_at: null, auto_reply: true, updated_at: null };
    stubApi({
      "GET /api/auth/me": { status: 200, body: { user: makeUser("o", "owner"), business: BUSINESS } },
      "GET /api/notifications": { status: 200, body: { items: [], page: 1, per_page: 20, total: 0, unread_count: 0 } },
      "GET /api/whatsapp/status": { status: 200, body: status },
      "GET /api/whatsapp/qr": { status: 200, body: { qr: "one", data_url: "data:image/png;base64,AAAA", rotation: 1, updated_at: "" } },
      "GET /api/whatsapp/conversations": { status: 200, body: { items: [], page: 1, per_page: 30, total: 0, total_unread: 0 } },
    });
    renderApp("/whatsapp");
    const img = await screen.findByTestId("whatsapp-qr");
    expect(img).toHaveAttribute("src", "data:image/png;base64,AAAA");
    const wa = FakeEventSource.all.find((e) => e.url.startsWith("/api/whatsapp/events"));
    expect(wa).toBeTruthy();
    act(() => wa?.emit("whatsapp.qr", { qr: "two", data_url: "data:image/png;base64,BBBB", rotation: 2, updated_at: "" }));
    await waitFor(() => expect(screen.getByTestId("whatsapp-qr")).toHaveAttribute("src", "data:image/png;base64,BBBB"));
    expect(screen.getByTestId("whatsapp-qr")).toHaveAttribute("data-rotation", "2");
    act(() => wa?.emit("whatsapp.status", { ...status, state: "connected", phone: "+972501234567", qr_available: false }));
    await waitFor(() => expect(screen.getByTestId("whatsapp-state")).toHaveAttribute("data-state", "connected"));
    expect(screen.queryByTestId("whatsapp-qr")).toBeNull();
  });
});
