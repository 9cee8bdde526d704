// Small helpers for the browser end-to-end run (playwright-core + Debian's chromium).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BASE_URL = (process.env.BASE_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

export const creds = (who) => {
  const up = who.toUpperCase();
  const email = process.env[`E2E_${up}_EMAIL`];
  const password = process.env[`E2E_${up}_PASSWORD`];
  if (!email || !password) throw new Error(`E2E_${up}_EMAIL / E2E_${up}_PASSWORD not set`);
  return { email, password };
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

export const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: "he-IL" };
export const MOBILE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "he-IL",
  userAgent:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
};

export async function newPage(browser, device = DESKTOP) {
  const context = await browser.newContext({ ...device, baseURL: BASE_URL });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.errors = errors;
  return { context, page };
}

export async function login(page, who) {
  const { email, password } = creds(who);
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("logout").waitFor();
}

/** Calls the API from inside the page (same origin, the session cookie). */
export async function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { json = text; }
      return { status: res.status, json };
    },
    { method, path, body },
  );
}

export async function shot(page, name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** Waits for the toast and returns {severity, text}. */
export async function toast(page) {
  const t = page.getByTestId("toast").last();
  await t.waitFor();
  return { severity: await t.getAttribute("data-severity"), text: (await t.innerText()).trim() };
}
