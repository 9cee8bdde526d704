// Browser end-to-end tests of the SPA through the real nginx in front of the real
// api (scripts/test-live.sh). Prints "N passed, N failed"; exit code 1 on failure.
// Screenshots of every main page go to web/e2e/artifacts/.
import { BASE_URL, launch } from "./lib.mjs";
import { tests as core } from "./tests-core.mjs";
import { tests as users } from "./tests-users.mjs";
import { tests as pages } from "./tests-pages.mjs";
import { tests as whatsapp } from "./tests-whatsapp.mjs";
import { tests as crm } from "./tests-crm.mjs";

const only = process.env.E2E_ONLY;
const all = [...core, ...users, ...pages, ...crm, ...whatsapp].filter(([name]) => !only || name.includes(only));

const browser = await launch();
let passed = 0;
let failed = 0;
let skipped = 0;
console.log(`e2e against ${BASE_URL}`);
for (const [name, fn] of all) {
  const started = Date.now();
  try {
    const result = await fn(browser);
    if (result === "skip") {
      skipped++;
      console.log(`SKIP ${name}`);
    } else {
      passed++;
      console.log(`PASS ${name} (${Date.now() - started} ms)`);
    }
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack.split("\n").slice(0, 4).join("\n") : e}`);
  }
}
await browser.close();
console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
