// Runs every *.test.mjs here in one process, sharing one Chromium.
// Without Chromium the tests are skipped, except under CI=true where that fails.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from './harness.mjs';

if (!fs.existsSync(chromiumPath)) {
  const msg = `Chromium not found at ${chromiumPath} (Debian: apt-get install chromium; or set STINT_CHROMIUM)`;
  if (process.env.CI === 'true') {
    console.error(`error: ${msg}; the UI browser tests cannot run.`);
    process.exit(1);
  }
  console.warn(`warning: ${msg}; skipping the UI browser tests.`);
  process.exit(0);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  await import(path.join(here, f));
}
