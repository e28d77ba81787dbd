import { test } from 'node:test';
import { openApp, expectText, expectHidden, screenshot } from './harness.mjs';

test('offline banner: appears when sync says offline, goes when the server is back', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  await expectText(page.locator('footer'), 'All synced.');
  await expectHidden(page.locator('.offline'));
  await page.getByRole('button', { name: 'Start' }).click();
  await mock.setSync({ offline: true, pending: 3, message: "Can't reach stint.acme.io; retrying in 30 s" });
  const banner = page.locator('.offline');
  await expectText(banner, "Offline. Can't reach stint.acme.io; retrying in 30 s. Your time is kept on this computer");
  await expectText(page.locator('footer'), '3 items waiting to sync.');
  await screenshot(page, 'offline');
  await mock.setSync({ offline: false, pending: 0, message: null, lastSync: new Date().toISOString() });
  await expectHidden(banner);
  await expectText(page.locator('footer'), 'All synced. Last sync');
});

test('offline banner: shown at once when the window opens offline; refused items are said', async (t) => {
  const { page } = await openApp(t, {
    signedIn: true,
    sync: { offline: true, pending: 2, failed: 0, lastSync: null, message: "Can't reach stint.acme.io" },
  });
  await expectText(page.locator('.offline'), "Offline. Can't reach stint.acme.io.");
  await expectText(page.locator('footer'), '2 items waiting to sync. Not synced yet.');
  const { page: p2 } = await openApp(t, {
    signedIn: true,
    sync: { offline: false, pending: 0, failed: 1, lastSync: null, message: 'Time logs lie between 1970 and 2100' },
  });
  await expectText(p2.locator('footer'), '1 item refused by the server: Time logs lie between 1970 and 2100.');
});
