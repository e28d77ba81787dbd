import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, expectHidden, screenshot } from './harness.mjs';

test('offline banner: appears when sync says offline, goes when the server is back', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  const chip = page.locator('header .sync-chip');
  await expectText(chip, /^✓ Synced \d\d:\d\d$/);
  await expectHidden(page.locator('.offline'));
  await page.getByRole('button', { name: 'Start' }).click();
  await mock.setSync({ offline: true, pending: 3, message: "Can't reach stint.acme.io; retrying in 30 s" });
  const banner = page.locator('.offline');
  await expectText(banner, "Offline. Can't reach stint.acme.io; retrying in 30 s. Your time is kept on this computer");
  await expectText(chip, 'Offline · 3 waiting');
  assert.match(await chip.getAttribute('title'), /^3 items waiting to sync\. Last sync \d\d:\d\d\.$/);
  await screenshot(page, 'offline');
  await mock.setSync({ offline: false, pending: 0, message: null, lastSync: new Date().toISOString() });
  await expectHidden(banner);
  await expectText(chip, /^✓ Synced \d\d:\d\d$/);
});

test('offline banner: shown at once when the window opens offline; refused items are said', async (t) => {
  const { page } = await openApp(t, {
    signedIn: true,
    sync: { offline: true, pending: 2, failed: 0, lastSync: null, message: "Can't reach stint.acme.io" },
  });
  await expectText(page.locator('.offline'), "Offline. Can't reach stint.acme.io.");
  await expectText(page.locator('header .sync-chip'), 'Offline · 2 waiting');
  const { page: p2 } = await openApp(t, {
    signedIn: true,
    sync: { offline: false, pending: 0, failed: 1, lastSync: null, message: 'Time logs lie between 1970 and 2100' },
  });
  const chip = p2.locator('header .sync-chip');
  await expectText(chip, '1 refused');
  assert.equal(await chip.getAttribute('title'), '1 item refused by the server: Time logs lie between 1970 and 2100.');
  const { page: p3 } = await openApp(t, { signedIn: true, sync: { offline: false, pending: 0, failed: 0, lastSync: null } });
  await expectText(p3.locator('header .sync-chip'), '✓ Nothing to sync');
});
