// Every main page renders without a crash (screenshots), plus the public signing page.
import { DESKTOP, MOBILE, assert, login, newPage, shot } from "./lib.mjs";

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
