// Prints the initial JS of the built SPA (the entry script plus the chunks
// index.html preloads), gzip level 9, and fails above the budget (KB).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = process.argv[2] ?? "dist";
const budgetKb = Number(process.argv[3] ?? 300);
const html = readFileSync(join(dist, "index.html"), "utf8");
const files = new Set();
for (const m of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) files.add(m[1]);
for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)) files.add(m[1]);
let raw = 0;
let gz = 0;
for (const f of files) {
  const buf = readFileSync(join(dist, f.replace(/^\//, "")));
  raw += buf.length;
  const g = gzipSync(buf, { level: 9 }).length;
  gz += g;
  console.log(`  ${f}  ${(buf.length / 1024).toFixed(1)} KB raw, ${(g / 1024).toFixed(1)} KB gzip`);
}
const kb = gz / 1024;
console.log(`initial JS bundle: ${files.size} file(s), ${(raw / 1024).toFixed(1)} KB raw, ${kb.toFixed(1)} KB gzip (budget ${budgetKb} KB)`);
if (files.size === 0) {
  console.log("no script found in index.html");
  process.exit(1);
}
if (kb > budgetKb) {
  console.log(`FAIL: initial JS ${kb.toFixed(1)} KB gzip is above the ${budgetKb} KB budget`);
  process.exit(1);
}
