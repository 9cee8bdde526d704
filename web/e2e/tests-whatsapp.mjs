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
