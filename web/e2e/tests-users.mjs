// Users and RBAC (brief 5.2): admin deletes a user; the last owner is never deletable, with the reason shown.
import { DESKTOP, api, assert, login, newPage, shot, toast } from "./lib.mjs";

async function withPage(browser, fn) {
  const { context, page } = await newPage(browser, DESKTOP);
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

export const tests = [
  ["admin deletes a user from the Admin Users page", (browser) =>
    withPage(browser, async (page) => {
      await login(page, "admin");
      const businesses = await api(page, "GET", "/api/businesses");
      assert(businesses.status === 200 && businesses.json.length > 0, "businesses listed");
      const business = businesses.json.find((b) => b.slug === "demo") ?? businesses.json[0];
      const email = `e2e-agent-${Date.now()}@example.com`;
      const created = await api(page, "POST", "/api/users", {
        email, password: "e2e-pass-12345", name: "E2E Agent", role: "agent", business_id: business.id,
      });
      assert(created.status === 201, `create user answered ${created.status}`);
      await page.getByTestId("nav-admin-users").click();
      await page.getByTestId("admin-users-page").waitFor();
      await page.getByTestId(`user-delete-${created.json.id}`).waitFor();
      // the only owner of the business: disabled, with the reason in words
      const owners = (await api(page, "GET", `/api/users?business_id=${business.id}`)).json.filter((u) => u.role === "owner");
      if (owners.length === 1) {
        const o = owners[0];
        assert(await page.getByTestId(`user-delete-${o.id}`).isDisabled(), "last owner's delete is disabled");
        assert((await page.getByTestId(`user-delete-${o.id}`).getAttribute("data-reason")) === "last_owner", "reason last_owner");
        const server = await api(page, "DELETE", `/api/users/${o.id}`);
        assert(server.status === 403 && server.json.error.code === "last_owner", `server refuses: ${JSON.stringify(server)}`);
      }
      await shot(page, "admin-users");
      await page.getByTestId(`user-delete-${created.json.id}`).click();
      await page.getByTestId("confirm-ok").click();
      const t = await toast(page);
      assert(t.severity === "success", `delete toast ${JSON.stringify(t)}`);
      await page.getByTestId(`user-delete-${created.json.id}`).waitFor({ state: "detached" });
      const all = await api(page, "GET", "/api/users");
      assert(!all.json.some((u) => u.id === created.json.id), "user gone");
      // the admin's own row explains why it cannot be deleted
      const me = (await api(page, "GET", "/api/auth/me")).json.user;
      assert((await page.getByTestId(`user-delete-${me.id}`).getAttribute("data-reason")) === "cannot_delete_self", "self reason");
      // acting inside a business: tenant pages need the picker first
      await page.getByTestId("nav-leads").click();
      await page.getByTestId("choose-business").waitFor();
      await page.getByTestId("business-picker").locator("..").click();
      await page.getByRole("option", { name: business.name }).click();
      await page.getByTestId("leads-page").waitFor();
      await page.locator('[data-testid^="lead-link-"]').first().waitFor();
      await shot(page, "admin-acting-leads");
      await page.getByTestId("nav-businesses").click();
      await page.getByTestId("businesses-page").waitFor();
      await page.locator(".MuiDataGrid-row").first().waitFor();
      await shot(page, "admin-businesses");
    })],

  ["owner cannot delete the last owner and sees why; can delete an agent", (browser) =>
    withPage(browser, async (page) => {
      await login(page, "owner");
      const me = (await api(page, "GET", "/api/auth/me")).json.user;
      const email = `e2e-owner-agent-${Date.now()}@example.com`;
      const created = await api(page, "POST", "/api/users", { email, password: "e2e-pass-12345", name: "סוכן בדיקה", role: "agent" });
      assert(created.status === 201, `owner creates agent: ${created.status}`);
      await page.getByTestId("nav-users").click();
      await page.getByTestId("business-users-page").waitFor();
      const ownBtn = page.getByTestId(`user-delete-${me.id}`);
      await ownBtn.waitFor();
      assert(await ownBtn.isDisabled(), "own/last owner delete disabled");
      const reason = await page.getByTestId(`user-delete-reason-${me.id}`).innerText();
      assert(/בעלים היחיד|only owner/i.test(reason), `visible reason: ${reason}`);
      const server = await api(page, "DELETE", `/api/users/${me.id}`);
      assert(server.status === 403, `server refuses own delete: ${server.status}`);
      await shot(page, "business-users-owner");
      await page.getByTestId(`user-delete-${created.json.id}`).click();
      await page.getByTestId("confirm-ok").click();
      const t = await toast(page);
      assert(t.severity === "success", `delete toast ${JSON.stringify(t)}`);
      await page.getByTestId(`user-delete-${created.json.id}`).waitFor({ state: "detached" });
    })],

  ["agent sees no user management", (browser) =>
    withPage(browser, async (page) => {
      await login(page, "agent");
      assert(!(await page.getByTestId("nav-users").count()), "no Users link for agents");
      assert(!(await page.getByTestId("nav-admin-users").count()), "no Admin Users link for agents");
      await page.getByTestId("nav-leads").click();
      await page.getByTestId("leads-page").waitFor();
    })],
];
