import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "../src/i18n";
import { BUSINESS, lead, makeUser, renderApp, stubApi } from "./harness";

const owner = makeUser("owner1", "owner");
const agent = makeUser("agent1", "agent");
const me = { status: 200, body: { user: owner, business: BUSINESS } };

beforeEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage("he");
});
afterEach(() => vi.unstubAllGlobals());

describe("login", () => {
  it("shows a clear Hebrew error for wrong credentials, right-to-left", async () => {
    stubApi({
      "GET /api/auth/me": { status: 401, body: { error: { code: "unauthenticated", message: "" } } },
      "POST /api/auth/login": { status: 401, body: { error: { code: "invalid_credentials", message: "invalid" } } },
    });
    renderApp("/leads");
    const user = userEvent.setup();
    await user.type(await screen.findByTestId("login-email"), "x@example.com");
    await user.type(screen.getByTestId("login-password"), "bad-password");
    await user.click(screen.getByTestId("login-submit"));
    expect(await screen.findByTestId("login-error")).toHaveTextContent("אימייל או סיסמה שגויים");
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("he");
  });

  it("switches to English and left-to-right", async () => {
    stubApi({ "GET /api/auth/me": { status: 401, body: { error: { code: "unauthenticated", message: "" } } } });
    renderApp("/login");
    await userEvent.setup().click(await screen.findByTestId("lang-switch"));
    await waitFor(() => expect(document.documentElement.dir).toBe("ltr"));
    expect(screen.getByTestId("login-submit")).toHaveTextContent("Sign in");
  });
});

describe("leads on a phone-sized screen (cards)", () => {
  it("deletes a lead from its card after a confirm, with the same DELETE as desktop and a toast", async () => {
    let deleted = false;
    const calls = stubApi({
      "GET /api/auth/me": me,
      "GET /api/leads": () => ({
        status: 200,
        body: { items: deleted ? [] : [lead("l1", "דנה כהן")], page: 1, per_page: 25, total: deleted ? 0 : 1 },
      }),
      "DELETE /api/leads/l1": () => {
        deleted = true;
        return { status: 204 };
      },
    });
    renderApp("/leads");
    const user = userEvent.setup();
    const card = await screen.findByTestId("lead-card-l1");
    await user.click(within(card).getByTestId("lead-delete-l1"));
    expect(await screen.findByTestId("confirm-dialog")).toHaveTextContent("דנה כהן");
    await user.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("toast")).toHaveTextContent("הליד נמחק");
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/leads/l1"]);
    await waitFor(() => expect(screen.queryByTestId("lead-card-l1")).toBeNull());
  });

  it("cancelling the confirm deletes nothing", async () => {
    const calls = stubApi({
      "GET /api/auth/me": me,
      "GET /api/leads": { status: 200, body: { items: [lead("l1", "דנה כהן")], page: 1, per_page: 25, total: 1 } },
    });
    renderApp("/leads");
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("lead-delete-l1"));
    await user.click(await screen.findByTestId("confirm-cancel"));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
  });

  it("shows an error toast when the server refuses", async () => {
    stubApi({
      "GET /api/auth/me": me,
      "GET /api/leads": { status: 200, body: { items: [lead("l1", "דנה כהן")], page: 1, per_page: 25, total: 1 } },
      "DELETE /api/leads/l1": { status: 404, body: { error: { code: "lead_not_found", message: "lead not found" } } },
    });
    renderApp("/leads");
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("lead-delete-l1"));
    await user.click(await screen.findByTestId("confirm-ok"));
    const t = await screen.findByTestId("toast");
    expect(t).toHaveAttribute("data-severity", "error");
    expect(t).toHaveTextContent("הליד כבר לא קיים");
  });

  it("validates the phone before sending and sends E.164", async () => {
    const calls = stubApi({
      "GET /api/auth/me": me,
      "GET /api/leads": { status: 200, body: { items: [], page: 1, per_page: 25, total: 0 } },
      "POST /api/leads": (_u, init) => ({ status: 201, body: { ...lead("l9", "x"), ...JSON.parse(String(init.body)) } }),
    });
    renderApp("/leads");
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("lead-new"));
    await user.type(screen.getByTestId("lead-name"), "ליד חדש");
    await user.type(screen.getByTestId("lead-phone"), "050-12");
    await user.click(screen.getByTestId("lead-save"));
    expect(await screen.findByText("מספר הטלפון אינו תקין")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    await user.type(screen.getByTestId("lead-phone"), "34567");
    await user.click(screen.getByTestId("lead-save"));
    await screen.findByText("הליד נוצר");
    expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ name: "ליד חדש", phone: "+972501234567" });
  });
});

describe("session expiry", () => {
  it("sends the user to login with an explanation when a call answers 401", async () => {
    stubApi({
      "GET /api/auth/me": me,
      "GET /api/leads": { status: 401, body: { error: { code: "unauthenticated", message: "" } } },
    });
    renderApp("/leads");
    expect(await screen.findByTestId("session-expired")).toHaveTextContent("פג תוקף החיבור");
  });
});

describe("business users (owner)", () => {
  it("disables deleting the only owner with the reason, and deletes an agent", async () => {
    let users = [owner, agent];
    stubApi({
      "GET /api/auth/me": me,
      "GET /api/users": () => ({ status: 200, body: users }),
      "DELETE /api/users/agent1": () => {
        users = [owner];
        return { status: 204 };
      },
    });
    renderApp("/users");
    const own = await screen.findByTestId("user-delete-owner1");
    expect(own).toBeDisabled();
    expect(own).toHaveAttribute("data-reason", "last_owner");
    expect(screen.getByTestId("user-delete-reason-owner1")).toHaveTextContent("הבעלים היחיד");
    const user = userEvent.setup();
    await user.click(screen.getByTestId("user-delete-agent1"));
    await user.click(await screen.findByTestId("confirm-ok"));
    expect(await screen.findByTestId("toast")).toHaveTextContent("המשתמש נמחק");
  });

  it("shows the server's refusal in words", async () => {
    stubApi({
      "GET /api/auth/me": me,
      "GET /api/users": { status: 200, body: [owner, agent] },
      "DELETE /api/users/agent1": { status: 403, body: { error: { code: "role_not_allowed", message: "no" } } },
    });
    renderApp("/users");
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("user-delete-agent1"));
    await user.click(await screen.findByTestId("confirm-ok"));
    const t = await screen.findByTestId("toast");
    expect(t).toHaveAttribute("data-severity", "error");
    expect(t).toHaveTextContent("התפקיד שלך אינו מורשה");
  });
});
