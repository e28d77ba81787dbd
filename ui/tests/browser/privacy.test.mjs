import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectAccessible, expectText, screenshot } from './harness.mjs';

// Wednesday 2 Dec 2026, 16:00 in Berlin. The demo's views: Lena opened three
// screenshots yesterday from 14:02 (one after seeing its thumbnail), Ada saw
// a thumbnail six days ago.
const WEDNESDAY = new Date('2026-12-02T15:00:00Z');
const omar = { signedIn: true };

/** Reaches the Privacy tab with the keyboard alone: Tab until it has focus, then Enter. */
async function privacyTab(page) {
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => document.activeElement?.textContent);
    if (at === 'Privacy') break;
  }
  await page.keyboard.press('Enter');
  const section = page.locator('section.privacy');
  await expectText(section.getByRole('heading', { level: 2 }), 'Who opened your screenshots');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'privacy-h', 'focus moves to the heading');
  return section;
}

for (const [width, colorScheme] of [
  [360, 'light'],
  [360, 'dark'],
  [440, 'light'],
  [440, 'dark'],
]) {
  test(`privacy (${width} px, ${colorScheme}): who opened my screenshots, newest first, in words`, async (t) => {
    const { page, mock } = await openApp(t, omar, { clock: WEDNESDAY, width, colorScheme });
    const section = await privacyTab(page);
    const items = section.locator('ul.views li');
    await expectText(items.first(), 'Lena Lind opened 3 screenshots yesterday, 14:02–14:09.');
    await expectText(items.nth(1), 'Ada Admin saw the thumbnail of 1 screenshot on Thursday 26 Nov, 10:15.');
    assert.equal(await items.count(), 2);
    assert.deepEqual(await mock.calls('screenshot_views'), [{ cmd: 'screenshot_views', args: {} }]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing wider than the window (${overflow} px too wide)`);
    await expectAccessible(page);
    await screenshot(page, `privacy-${width}-${colorScheme}`);
  });
}

test('privacy: nobody looked', async (t) => {
  const { page } = await openApp(t, { ...omar, views: [] }, { width: 360 });
  const section = await privacyTab(page);
  await expectText(section, 'Nobody else has opened your screenshots in the last 30 days.');
  assert.equal(await section.locator('ul.views').count(), 0);
  await expectAccessible(page);
});

for (const colorScheme of ['light', 'dark']) {
  test(`privacy (${colorScheme}): offline is said in the tab, and Try again asks again`, async (t) => {
    const { page, mock } = await openApp(t, omar, { clock: WEDNESDAY, width: 440, colorScheme });
    await mock.failNext('screenshot_views', { code: 'offline', message: "Can't reach stint.acme.io" });
    const section = await privacyTab(page);
    await expectText(
      section.locator('.views-error'),
      "You're offline, so who opened your screenshots can't be checked right now: Can't reach stint.acme.io.",
    );
    await expectAccessible(page);
    await screenshot(page, `privacy-offline-${colorScheme}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Try again');
    await page.keyboard.press('Enter');
    await expectText(section.locator('ul.views li').first(), 'Lena Lind opened 3 screenshots');
    assert.equal((await mock.calls('screenshot_views')).length, 2);
  });
}

test('privacy: a refusal is said in words', async (t) => {
  const { page, mock } = await openApp(t, omar, { width: 360 });
  await mock.failNext('screenshot_views', { code: 'refused', message: 'The server is being upgraded' });
  const section = await privacyTab(page);
  await expectText(section, "Couldn't check who opened your screenshots: The server is being upgraded.");
});

/** Tabs from the Privacy heading to "Download my data". */
async function downloadButton(page) {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Download my data') return;
  }
  assert.fail('"Download my data" is reachable with Tab');
}

for (const [width, colorScheme] of [
  [360, 'light'],
  [360, 'dark'],
  [440, 'light'],
  [440, 'dark'],
]) {
  test(`privacy (${width} px, ${colorScheme}): Download my data says it is preparing, then where it went`, async (t) => {
    const { page, mock } = await openApp(t, { ...omar, latencyMs: 400 }, { width, colorScheme });
    const section = await privacyTab(page);
    await downloadButton(page);
    await page.keyboard.press('Enter');
    const said = section.locator('.my-data [role="status"]');
    await expectText(said, 'Preparing…');
    assert.equal(await section.getByRole('button', { name: 'Download my data' }).getAttribute('aria-disabled'), 'true');
    // Asking again while it prepares does nothing.
    await page.keyboard.press('Enter');
    await expectText(said, /^Saved to ~\/Downloads\/stint-my-data-\d{4}-\d{2}-\d{2}\.zip$/);
    assert.equal((await mock.calls('download_my_data')).length, 1);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Download my data', 'focus stays on the button');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing wider than the window (${overflow} px too wide)`);
    await expectAccessible(page);
    await screenshot(page, `privacy-my-data-${width}-${colorScheme}`);

    // A second download the same day is a second file, beside the first.
    await page.keyboard.press('Enter');
    await expectText(said, /^Saved to ~\/Downloads\/stint-my-data-\d{4}-\d{2}-\d{2}-2\.zip$/);
  });
}

for (const colorScheme of ['light', 'dark']) {
  test(`privacy (${colorScheme}): a download that fails says why, and the button asks again`, async (t) => {
    const { page, mock } = await openApp(t, omar, { width: 360, colorScheme });
    await mock.failNext('download_my_data', { code: 'offline', message: "Can't reach stint.acme.io" });
    const section = await privacyTab(page);
    await downloadButton(page);
    await page.keyboard.press('Enter');
    await expectText(
      section.locator('.my-data .views-error'),
      "You're offline, so your data can't be downloaded right now: Can't reach stint.acme.io.",
    );
    await expectAccessible(page);
    await screenshot(page, `privacy-my-data-offline-${colorScheme}`);
    await page.keyboard.press('Enter');
    await expectText(section.locator('.my-data [role="status"]'), 'Saved to ~/Downloads/');
    assert.equal((await mock.calls('download_my_data')).length, 2);
  });
}

test('privacy: a download refused while another is prepared says so', async (t) => {
  const { page, mock } = await openApp(t, omar, { width: 440 });
  await mock.failNext('download_my_data', { code: 'conflict', message: 'Your data is already being prepared' });
  const section = await privacyTab(page);
  await section.getByRole('button', { name: 'Download my data' }).click();
  await expectText(section, "Couldn't download your data: Your data is already being prepared.");
});
