import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, screenshot } from './harness.mjs';

test('settings: shows what is saved, saves changes', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  await page.getByRole('button', { name: 'Settings' }).click();
  const idle = page.getByLabel('Ask about idle time after (minutes without input)');
  await expectText(page.getByRole('heading', { name: 'Settings' }), 'Settings');
  await page.getByRole('button', { name: 'Save settings' }).waitFor();
  assert.equal(await idle.inputValue(), '5');
  assert.equal(await page.getByLabel('Take a screenshot').inputValue(), '600');
  assert.equal(await page.getByLabel('All screens').isChecked(), true);
  assert.equal(await page.getByLabel('Start Stint when I log in').isChecked(), true);

  await idle.fill('12');
  await page.getByLabel('Only the active screen').check();
  await page.getByLabel('Blur screenshots').check();
  await page.getByLabel('Start Stint when I log in').uncheck();
  await screenshot(page, 'settings');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectText(page.locator('form.settings [role=status]'), 'Settings saved.');
  assert.deepEqual((await mock.calls('save_settings')).map((c) => c.args), [
    { settings: { idleThresholdSeconds: 720, screenshotIntervalSeconds: 600, screens: 'active', blur: true, startAtLogin: false } },
  ]);

  // Screenshots off: the screen options no longer apply.
  await page.getByLabel('Take a screenshot').selectOption({ label: 'Off' });
  assert.equal(await page.getByLabel('Blur screenshots').isDisabled(), true);
  await mock.failNext('save_settings', { code: 'invalid', message: 'Start at login is not available on this system' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectText(page.getByRole('alert'), "Couldn't save the settings: Start at login is not available on this system.");
  assert.equal((await mock.calls('save_settings'))[1].args.settings.screenshotIntervalSeconds, null);
});
