// WhatsApp connect page: the QR comes from our backend and is swapped when it rotates.
// Runs when the whatsapp backend answers (skipped while it is not deployed).
import { DESKTOP, api, assert, login, newPage, shot } from "./lib.mjs";

export const tests = [
  ["WhatsApp page shows the QR from our backend and swaps it when it rotates", async (browser) => {
    const { context, page } = await newPage(browser, DESKTOP);
    try {
      await login(page, "owner");
      const status = await api(page, "GET", "/api/whatsapp/status");
      if (status.status !== 200) return "skip";
      await page.goto("/whatsapp");
      await page.getByTestId("whatsapp-connect-panel").waitFor();
      if (await page.getByTestId("whatsapp-connect").count()) await page.getByTestId("whatsapp-connect").click();
      const qr = page.getByTestId("whatsapp-qr");
      await qr.waitFor({ timeout: 30_000 });
      const src1 = await qr.getAttribute("src");
      const rot1 = Number(await qr.getAttribute("data-rotation"));
      assert(src1.startsWith("data:image/png;base64,"), "QR is a data URL from our API, not an external URL");
      await shot(page, "whatsapp-qr-1");
      await page.waitForFunction(
        ({ rot }) => Number(document.querySelector('[data-testid="whatsapp-qr"]')?.getAttribute("data-rotation")) > rot,
        { rot: rot1 },
        { timeout: 60_000 },
      );
      const src2 = await qr.getAttribute("src");
      assert(src2 !== src1, "the QR image changed");
      await shot(page, "whatsapp-qr-2");
    } finally {
      await context.close();
    }
  }],
];
