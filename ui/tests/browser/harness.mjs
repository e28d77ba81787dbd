// The UI tests' harness: serves the BUILT app (dist/) on 127.0.0.1, drives
// Debian's Chromium through playwright-core, and injects the mock backend
// (dist-mock/mock.js) before the app loads, so the page is exactly what Tauri
// ships, with the Tauri IPC scripted.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const uiDir = path.resolve(here, '../..');
const distDir = path.join(uiDir, 'dist');
const mockScript = path.join(uiDir, 'dist-mock', 'mock.js');
export const outDir = path.join(uiDir, 'test-results');
export const chromiumPath = process.env.STINT_CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let shared = null;
/** Pages whose clock a test paused (axe-core needs it running). */
const paused = new WeakSet();
async function start() {
  for (const f of [path.join(distDir, 'index.html'), mockScript]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  const server = await serve(distDir);
  const { port } = server.address();
  // launch() gives Chromium a fresh temporary --user-data-dir of its own and deletes it on close.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { server, browser, url: `http://127.0.0.1:${port}/` };
}

after(async () => {
  if (!shared) return;
  const { server, browser } = await shared;
  await browser.close();
  await new Promise((r) => server.close(r));
});

/**
 * Opens the built app with the mock backend set up from `scenario`.
 * `clock`: a Date to pause the page's clock at (then `page.clock.runFor`).
 * `width` and `colorScheme`: the window's, for the narrow and dark stories.
 */
export async function openApp(t, scenario = {}, { clock, width = 820, colorScheme = 'light' } = {}) {
  shared ??= start();
  const { browser, url } = await shared;
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    viewport: { width, height: 900 },
    colorScheme,
  });
  context.setDefaultTimeout(10_000);
  t.after(() => context.close());
  if (clock) await context.clock.install({ time: new Date(clock.getTime() - 60_000) });
  await context.addInitScript((s) => {
    window.__STINT_SCENARIO__ = s;
  }, scenario);
  await context.addInitScript({ path: mockScript });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  t.after(() => assert.deepEqual(problems, [], 'the page logged errors'));
  if (clock) {
    await page.clock.pauseAt(clock);
    paused.add(page);
  }
  await page.goto(url);
  await page.locator('#app > :not(.loading)').first().waitFor();
  return { page, mock: new Mock(page) };
}

/** The mock backend inside the page. */
class Mock {
  constructor(page) {
    this.page = page;
  }
  calls(cmd) {
    return this.page.evaluate((c) => window.__stintMock.calls.filter((x) => !c || x.cmd === c), cmd);
  }
  failNext(cmd, error) {
    return this.page.evaluate(([c, e]) => window.__stintMock.failNext(c, e), [cmd, error]);
  }
  goIdle(minutesAgo) {
    return this.page.evaluate((m) => window.__stintMock.goIdle(m), minutesAgo);
  }
  comeBack() {
    return this.page.evaluate(() => window.__stintMock.comeBack());
  }
  askStillWorking(hoursAgo) {
    return this.page.evaluate((h) => window.__stintMock.askStillWorking(h), hoursAgo);
  }
  setSync(s) {
    return this.page.evaluate((x) => window.__stintMock.setSync(x), s);
  }
  state() {
    return this.page.evaluate(() => JSON.parse(JSON.stringify(window.__stintMock.state)));
  }
}

/** Retries `fn` (which asserts) until it passes or `ms` runs out. */
export async function eventually(fn, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** What a person reads in `locator`, once it says `expected` (a string it contains, or a RegExp). */
export async function expectText(locator, expected, ms = 10_000) {
  let last = '';
  try {
    await eventually(async () => {
      last = (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
      if (expected instanceof RegExp) assert.match(last, expected);
      else assert.ok(last.includes(expected), `"${last}" does not include "${expected}"`);
    }, ms);
  } catch (e) {
    e.message = `${e.message}\n(read: "${last}")`;
    throw e;
  }
  return last;
}

export async function expectHidden(locator, ms = 10_000) {
  await locator.first().waitFor({ state: 'hidden', timeout: ms });
}

export async function screenshot(page, name) {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}


const axeScript = path.join(uiDir, 'node_modules', 'axe-core', 'axe.min.js');

/** Runs axe-core's WCAG 2.1 A and AA rules on the page as it is now; fails naming each violation. */
export async function expectAccessible(page, what = 'the page') {
  // axe schedules its checks with timers, which never fire on a paused clock.
  if (paused.has(page)) await page.clock.resume();
  await page.addScriptTag({ path: axeScript });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `WCAG AA violations on ${what}`);
}

/** Fails when the page scrolls sideways: nothing may be wider than the window. */
export async function expectFits(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll - client} px wider than the window (${client} px)`);
}
