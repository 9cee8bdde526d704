import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "../src/i18n";
import { BUSINESS, makeUser, renderApp, stubApi } from "./harness";

const conv = {
  id: "c1", contact_phone: "+972500000077", contact_name: "לקוח", lead_id: "l1", human_took_over: false,
  unread_count: 1, last_message_at: "2026-11-25T10:00:00Z", last_message_preview: "שלום", created_at: "", updated_at: "",
};
const msg = {
  id: "m1", conversation_id: "c1", direction: "inbound", author: "contact", sent_by_user_id: null, text: "שלום, אפשר הצעת מחיר?",
  status: "received", wa_message_id: "X", created_at: "2026-11-25T10:00:00Z", updated_at: "",
};

beforeEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage("he");
});
afterEach(() => vi.unstubAllGlobals());

describe("WhatsApp chat", () => {
  it("shows the thread, lets a human take over and sends a reply", async () => {
    let took = false;
    const calls = stubApi({
      "GET /api/auth/me": { status: 200, body: { user: makeUser("o", "owner"), business: BUSINESS } },
      "GET /api/whatsapp/status": { status: 200, body: { state: "connected", phone: "+972500000001", qr_available: false, qr_rotations: 0, last_error: null, last_inbound_at: null, auto_reply: true, updated_at: null } },
      "GET /api/whatsapp/conversations": () => ({ status: 200, body: { items: [{ ...conv, human_took_over: took }], page: 1, per_page: 30, total: 1, total_unread: 1 } }),
      "GET /api/whatsapp/conversations/c1/messages": { status: 200, body: { items: [msg], page: 1, per_page: 100, total: 1 } },
      "POST /api/whatsapp/conversations/c1/read": { status: 200, body: { ...conv, unread_count: 0 } },
      "PATCH /api/whatsapp/conversations/c1": () => { took = true; return { status: 200, body: { ...conv, human_took_over: true } }; },
      "POST /api/whatsapp/conversations/c1/messages": { status: 201, body: { ...msg, id: "m2", direction: "outbound", author: "user", text: "בשמחה" } },
    });
    renderApp("/whatsapp?conversation=c1");
    expect(await screen.findByText("שלום, אפשר הצעת מחיר?")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByTestId("whatsapp-human-switch"));
    await waitFor(() => expect(screen.getByTestId("whatsapp-human-switch")).toBeChecked());
    await user.type(screen.getByTestId("whatsapp-send-input"), "בשמחה");
    await user.click(screen.getByTestId("whatsapp-send"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.path.endsWith("/messages"))).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ human_took_over: true });
  });
});
