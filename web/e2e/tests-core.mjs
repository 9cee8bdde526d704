// Login, RTL layout, language switch, session expiry, leads on desktop and mobile.
import { MOBILE, DESKTOP, api, assert, creds, login, newPage, shot, toast } from "./lib.mjs";

async function withPage(browser, device, fn) {
  const { context, page } = await newPage(browser, device);
  try {
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

/** Creates a lead through the form and returns its id (from the POST answer). */
async function createLeadViaForm(page, name, phone) {
  await page.getByTestId("lead-new").click();
  await page.getByTestId("lead-name").fill(name);
  await page.getByTestId("lead-phone").fill("12ab");
  await page.getByTestId("lead-save").click();
  // client-side phone validation stops the bad number
  await page.getByText(/מספר הטלפון אינו תקין|Phone number is not valid/).first().waitFor();
  await page.getByTestId("lead-phone").fill(phone);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/leads") && r.request().method() === "POST"),
    page.getByTestId("lead-save").click(),
  ]);
  assert(res.status() === 201, `create lead answered ${res.status()}`);
  const lead = await res.json();
  assert(lead.phone === "+972521234567", `phone normalised to E.164, got ${lead.phone}`);
  const t = await toast(page);
  assert(t.severity === "success", `create toast ${JSON.stringify(t)}`);
  return lead.id;
}

async function deleteLeadViaButton(page, id) {
  await page.getByTestId(`lead-delete-${id}`).click();
  await page.getByTestId("confirm-dialog").waitFor();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/api/leads/${id}`) && r.request().method() === "DELETE"),
    page.getByTestId("confirm-ok").click(),
  ]);
  assert(res.status() === 204, `DELETE /api/leads/:id answered ${res.status()}`);
  const t = await toast(page);
  assert(t.severity === "success", `delete toast ${JSON.stringify(t)}`);
  await page.getByTestId(`lead-delete-${id}`).waitFor({ state: "detached" });
  const after = await api(page, "GET", `/api/leads/${id}`);
  assert(after.status === 404, `deleted lead still answers ${after.status}`);
}

export const tests = [
  ["login shows a clear error for a wrong password", (browser) =>
    withPage(browser, DESKTOP, async (page) => {
      await page.goto("/");
      await page.waitForURL(/\/login/);
      await page.getByTestId("login-email").fill(creds("owner").email);
      await page.getByTestId("login-password").fill("wrong-password-1");
      await page.getByTestId("login-submit").click();
      const err = await page.getByTestId("login-error").innerText();
      assert(/שגויים|Wrong/.test(err), `login error text: ${err}`);
      await shot(page, "login-error");
    })],

  ["Hebrew RTL layout by default, English switch, logout", (browser) =>
    withPage(browser, DESKTOP, async (page) => {
      await login(page, "owner");
      const dir = await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang]);
      assert(dir[0] === "rtl" && dir[1] === "he", `html dir/lang ${dir}`);
      // the navigation drawer sits on the right in RTL
      const nav = await page.getByTestId("nav-leads").boundingBox();
      assert(nav && nav.x > 1366 / 2, `nav should be on the right, x=${nav?.x}`);
      const bodyDir = await page.evaluate(() => getComputedStyle(document.querySelector("main")).direction);
      assert(bodyDir === "rtl", `main computed direction ${bodyDir}`);
      await page.getByTestId("stat-leads").waitFor();
      await shot(page, "dashboard-he-rtl");
      await page.getByTestId("lang-switch").click();
      await page.waitForFunction(() => document.documentElement.dir === "ltr");
      const navEn = await page.getByTestId("nav-leads").boundingBox();
      assert(navEn && navEn.x < 1366 / 2, `nav should be on the left in English, x=${navEn?.x}`);
      assert((await page.getByTestId("nav-leads").innerText()).includes("Leads"), "English labels");
      await shot(page, "dashboard-en-ltr");
      await page.getByTestId("lang-switch").click();
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      await page.getByTestId("logout").click();
      await page.waitForURL(/\/login/);
      const me = await api(page, "GET", "/api/auth/me");
      assert(me.status === 401, `after logout /api/auth/me answered ${me.status}`);
    })],

  ["session expiry sends the user to login with an explanation", (browser) =>
    withPage(browser, DESKTOP, async (page, context) => {
      await login(page, "owner");
      await context.clearCookies();
      await page.getByTestId("nav-leads").click();
      await page.waitForURL(/\/login/);
      await page.getByTestId("session-expired").waitFor();
      await shot(page, "session-expired");
    })],

  ["desktop: create a lead with phone validation, then delete it from the table", (browser) =>
    withPage(browser, DESKTOP, async (page) => {
      await login(page, "owner");
      await page.getByTestId("nav-leads").click();
      await page.getByTestId("leads-table").waitFor();
      await page.locator(".MuiDataGrid-row").first().waitFor();
      await shot(page, "leads-desktop");
      const id = await createLeadViaForm(page, `E2E שולחן ${Date.now()}`, "052-1234567");
      await page.getByTestId("leads-search").fill("E2E שולחן");
      await page.getByTestId(`lead-delete-${id}`).waitFor();
      assert((await page.locator(".MuiDataGrid-row").count()) >= 1, "search shows the lead");
      await deleteLeadViaButton(page, id);
    })],

  ["mobile: lead cards with a delete button that calls DELETE /api/leads/:id", (browser) =>
    withPage(browser, MOBILE, async (page) => {
      await login(page, "owner");
      await page.goto("/leads");
      await page.getByTestId("lead-cards").waitFor();
      assert(!(await page.getByTestId("leads-table").count()), "no desktop table on a phone");
      const dir = await page.evaluate(() => document.documentElement.dir);
      assert(dir === "rtl", "mobile is RTL too");
      await shot(page, "leads-mobile");
      const id = await createLeadViaForm(page, `E2E נייד ${Date.now()}`, "+972 52-123-4567");
      await page.getByTestId("leads-search").fill("E2E נייד");
      await page.getByTestId(`lead-card-${id}`).waitFor();
      const btn = await page.getByTestId(`lead-delete-${id}`).boundingBox();
      assert(btn && btn.width >= 24 && btn.x >= 0 && btn.x + btn.width <= 390, `delete button on screen: ${JSON.stringify(btn)}`);
      await shot(page, "leads-mobile-card");
      await deleteLeadViaButton(page, id);
      await shot(page, "leads-mobile-deleted");
    })],
];
