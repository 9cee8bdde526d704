// WhatsApp connect page: the QR comes from our backend (fed by a fake worker)
// and is swapped in the page when it rotates. Skipped, with the reason, when the
// whatsapp service or the worker settings are not there.
import { DESKTOP, api, assert, login, newPage, shot } from "./lib.mjs";
import { emitWorkerEvent, fakeQr, startFakeWorker } from "./fake-worker.mjs";

function fakeWorkerSettings() {
  const secret = process.env.WHATSAPP_WORKER_SECRET;
  const servicePort = process.env.WHATSAPP_PORT;
  const workerUrl = process.env.WHATSAPP_WORKER_URL ?? "http://127.0.0.1:3300";
  if (!secret || !servicePort) return null;
  return {
    port: Number(new URL(workerUrl).port || 80),
    secret,
    serviceUrl: process.env.WHATSAPP_SERVICE_URL ?? `http://127.0.0.1:${servicePort}`,
  };
}

export const tests = [
  ["WhatsApp page shows the QR from our backend and swaps it when it rotates", async (browser) => {
    const settings = fakeWorkerSettings();
    if (!settings) {
      console.log("  (needs WHATSAPP_WORKER_SECRET and WHATSAPP_PORT in the environment of the e2e run)");
      return "skip";
    }
    let worker = null;
    const { context, page } = await newPage(browser, DESKTOP);
    try {
      await login(page, "owner");
      const status = await api(page, "GET", "/api/whatsapp/status");
      if (status.status !== 200) {
        console.log(`  (GET /api/whatsapp/status answered ${status.status})`);
        return "skip";
      }
      // Our fake worker takes the worker's port; when a worker already runs there
      // (the real one with its fake socket), the test feeds the service the same way.
      worker = await startFakeWorker(settings).catch((e) => {
        if (e && e.code === "EADDRINUSE") return null;
        throw e;
      });
      const businessId = (await api(page, "GET", "/api/auth/me")).json.user.business_id;
      await page.goto("/whatsapp");
      await page.getByTestId("whatsapp-connect-panel").waitFor();
      await page.getByTestId("whatsapp-connect").click();
      const qr = page.getByTestId("whatsapp-qr");
      await qr.waitFor({ timeout: 30_000 });
      const src1 = await qr.getAttribute("src");
      const rot1 = Number(await qr.getAttribute("data-rotation"));
      assert(src1 && src1.startsWith("data:image/png;base64,"), "QR is a PNG data URL from our API, not an external URL");
      await shot(page, "whatsapp-qr-1");
      // WhatsApp rotates the code: the worker reports a new one
      const pushed = await emitWorkerEvent(settings, businessId, "qr", { qr: fakeQr(1000 + rot1) });
      assert(pushed === 204, `worker event answered ${pushed}`);
      await page.waitForFunction(
        (rot) => Number(document.querySelector('[data-testid="whatsapp-qr"]')?.getAttribute("data-rotation")) > rot,
        rot1,
        { timeout: 30_000 },
      );
      const src2 = await qr.getAttribute("src");
      assert(src2 !== src1, "the QR image changed");
      await shot(page, "whatsapp-qr-2");
      await page.getByTestId("whatsapp-logout").click();
      await page.getByTestId("confirm-ok").click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="whatsapp-qr"]'), null, { timeout: 15_000 });
    } finally {
      await context.close();
      if (worker) await worker.close();
    }
  }],
];

tests.push(["WhatsApp chat: inbound message shows live, human takes over, reply is sent", async (browser) => {
  const settings = fakeWorkerSettings();
  if (!settings) return "skip";
  const { context, page } = await newPage(browser, DESKTOP);
  let worker = null;
  try {
    await login(page, "owner");
    if ((await api(page, "GET", "/api/whatsapp/status")).status !== 200) return "skip";
    worker = await startFakeWorker(settings).catch((e) => (e && e.code === "EADDRINUSE" ? null : Promise.reject(e)));
    if (!worker) {
      console.log("  (a real worker holds the worker port; the chat test needs the fake one)");
      return "skip";
    }
    const businessId = (await api(page, "GET", "/api/auth/me")).json.user.business_id;
    const started = await api(page, "POST", "/api/whatsapp/session");
    assert(started.status === 202, `start session ${started.status}`);
    // the code is on screen before the phone scans it
    for (let i = 0; i < 40; i++) {
      if ((await api(page, "GET", "/api/whatsapp/status")).json.state === "waiting_for_qr") break;
      await page.waitForTimeout(250);
    }
    // test-range number, as the worker reports it
    const digits = "972500000077";
    assert((await worker.connect(businessId, `+${digits}`)) === 204, "connected event accepted");
    await page.goto("/whatsapp");
    await page.waitForSelector('[data-testid="whatsapp-state"][data-state="connected"]');
    const bell = page.getByTestId("notifications-unread");
    await page.waitForTimeout(500);
    const unreadBefore = Number(await bell.getAttribute("data-count"));
    const text = `שלום, אפשר הצעת מחיר? ${Date.now()}`;
    const pushed = await emitWorkerEvent(settings, businessId, "message", {
      wa_message_id: `E2EIN${Date.now()}`, jid: `${digits}@s.whatsapp.net`, from_me: false,
      push_name: "לקוח וואטסאפ", text, timestamp: Math.floor(Date.now() / 1000),
    });
    assert(pushed === 204, `inbound message accepted: ${pushed}`);
    // the bell counts the new notification live (SSE /api/events), without a reload
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="notifications-unread"]')?.getAttribute("data-count")) > n,
      unreadBefore,
      { timeout: 20_000 },
    );
    await page.getByTestId("notifications-bell").click();
    await page.getByTestId("notifications-panel").waitFor();
    await shot(page, "notifications-panel");
    await page.keyboard.press("Escape");
    const conv = page.locator('[data-testid^="whatsapp-conversation-"]').first();
    await conv.waitFor({ timeout: 20_000 });
    await conv.click();
    await page.locator('[data-testid^="whatsapp-message-"]').filter({ hasText: text }).first().waitFor();
    const sw = page.getByTestId("whatsapp-human-switch");
    const before = await sw.isChecked();
    // controlled by the server answer: click, then wait for the PATCH to come back
    await sw.click({ force: true });
    await page.waitForFunction((b) => document.querySelector('input[data-testid="whatsapp-human-switch"]')?.checked === !b, before);
    await page.getByTestId("whatsapp-send-input").fill("בשמחה, נשלח היום");
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/api\/whatsapp\/conversations\/[^/]+\/messages/.test(r.url()) && r.request().method() === "POST"),
      page.getByTestId("whatsapp-send").click(),
    ]);
    assert(res.status() === 201, `send answered ${res.status()}`);
    await page.locator('[data-testid^="whatsapp-message-"]').filter({ hasText: "בשמחה, נשלח היום" }).first().waitFor();
    await shot(page, "whatsapp-chat");
    // writing first: open a lead's chat from its page
    const leads = await api(page, "GET", "/api/leads?per_page=1&sort=name");
    const lead = leads.json.items[0];
    await page.goto(`/leads/${lead.id}`);
    await page.getByTestId("lead-whatsapp").click();
    await page.waitForURL(/\/whatsapp\?conversation=/);
    await page.getByTestId("whatsapp-chat").waitFor();
    await page.getByTestId("whatsapp-send-input").fill("שלום, כאן הצוות");
    const [first] = await Promise.all([
      page.waitForResponse((r) => /\/api\/whatsapp\/conversations\/[^/]+\/messages/.test(r.url()) && r.request().method() === "POST"),
      page.getByTestId("whatsapp-send").click(),
    ]);
    assert(first.status() === 201, `first message answered ${first.status()}`);
  } finally {
    await context.close();
    if (worker) await worker.close();
  }
}]);
