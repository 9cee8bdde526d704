// Every main page renders without a crash (screenshots), plus the public signing page.
import { DESKTOP, MOBILE, api, assert, login, newPage, shot, toast } from "./lib.mjs";

const PAGES = [
  ["dashboard", "/", "dashboard-page"],
  ["calls", "/calls", "calls-page"],
  ["whatsapp", "/whatsapp", "whatsapp-page"],
  ["tasks", "/tasks", "tasks-page"],
  ["offers", "/offers", "offers-page"],
  ["invoices", "/invoices", "invoices-page"],
  ["settings", "/settings", "settings-page"],
];

export const tests = [
  ["every main page renders for an owner (screenshots)", async (browser) => {
    const { context, page } = await newPage(browser, DESKTOP);
    try {
      await login(page, "owner");
      for (const [name, path, testid] of PAGES) {
        await page.goto(path);
        await page.getByTestId(testid).waitFor();
        await shot(page, `page-${name}`);
      }
      // lead detail of the first lead
      await page.goto("/leads");
      const link = page.locator('[data-testid^="lead-link-"]').first();
      await link.click();
      await page.getByTestId("lead-detail-page").waitFor();
      await shot(page, "page-lead-detail");
      assert(page.errors.length === 0, `page errors: ${page.errors.join("; ")}`);
    } finally {
      await context.close();
    }
  }],

  ["every main page fits a phone screen in Hebrew RTL (no sideways scroll)", async (browser) => {
    const { context, page } = await newPage(browser, MOBILE);
    try {
      await login(page, "owner");
      const firstLead = (await api(page, "GET", "/api/leads?per_page=1")).json.items[0];
      const extra = [["leads", "/leads", "leads-page"], ["users", "/users", "business-users-page"], ["lead-detail", `/leads/${firstLead.id}`, "lead-detail-page"]];
      for (const [name, path, testid] of [...PAGES, ...extra]) {
        await page.goto(path);
        await page.getByTestId(testid).waitFor();
        await page.waitForTimeout(300);
        const { dir, overflow } = await page.evaluate(() => ({
          dir: document.documentElement.dir,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
        }));
        assert(dir === "rtl", `${name}: dir ${dir}`);
        assert(overflow <= 1, `${name}: page scrolls sideways by ${overflow}px on a phone`);
        await shot(page, `mobile-${name}`);
      }
    } finally {
      await context.close();
    }
  }],

  ["owner saves the AI greeting in settings", async (browser) => {
    const { context, page } = await newPage(browser, DESKTOP);
    try {
      await login(page, "owner");
      await page.getByTestId("nav-settings").click();
      const greeting = `שלום! הגעתם לעסק לדוגמה (${Date.now()})`;
      await page.getByTestId("settings-ai_greeting").fill(greeting);
      await page.getByTestId("settings-save").click();
      const t = await toast(page);
      assert(t.severity === "success", `save toast ${JSON.stringify(t)}`);
      const b = await api(page, "GET", "/api/business");
      assert(b.json.ai_greeting === greeting, "greeting stored");
      // n8n: an API key is shown once, a webhook's signing secret too
      if ((await api(page, "GET", "/api/api-keys")).status === 200) {
        await page.getByTestId("api-key-name").fill("n8n e2e");
        await page.getByTestId("api-key-create").click();
        const secret = await page.getByTestId("api-key-secret").innerText();
        assert(/psk_/.test(secret), `key shown once: ${secret.slice(0, 40)}`);
        await page.getByTestId("webhook-url").fill("http://127.0.0.1:9/e2e-hook");
        await page.getByTestId("webhook-create").click();
        const hook = await page.getByTestId("webhook-secret").innerText();
        assert(/whsec_/.test(hook), "webhook secret shown once");
        await shot(page, "settings-integrations");
      }
    } finally {
      await context.close();
    }
  }],

  ["tasks: create one, mark it done", async (browser) => {
    const { context, page } = await newPage(browser, DESKTOP);
    try {
      await login(page, "owner");
      if ((await api(page, "GET", "/api/tasks")).status !== 200) return "skip";
      await page.getByTestId("nav-tasks").click();
      await page.getByTestId("task-new").click();
      const title = `לחזור ללקוח ${Date.now()}`;
      await page.getByTestId("task-title").fill(title);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/tasks") && r.request().method() === "POST"),
        page.getByTestId("task-save").click(),
      ]);
      assert(res.status() === 201, `create task ${res.status()}`);
      const task = await res.json();
      await page.getByTestId(`task-${task.id}`).waitFor();
      await shot(page, "tasks");
      // controlled by the server answer: click, the list refetches without done tasks
      await page.getByTestId(`task-done-${task.id}`).locator("input").click();
      await page.getByTestId(`task-${task.id}`).waitFor({ state: "detached" });
      assert((await api(page, "GET", `/api/tasks/${task.id}`)).json.done === true, "task done");
    } finally {
      await context.close();
    }
  }],

  ["public signing page: unknown token explains itself (mobile)", async (browser) => {
    const { context, page } = await newPage(browser, MOBILE);
    try {
      await page.goto("/sign/not-a-real-token");
      await page.getByTestId("sign-page").waitFor();
      await page.getByTestId("sign-error").waitFor();
      await shot(page, "sign-unknown-token");
    } finally {
      await context.close();
    }
  }],
];
