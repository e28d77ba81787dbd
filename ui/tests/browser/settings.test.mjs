import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectText, screenshot } from './harness.mjs';

test('settings: shows what is saved, saves changes', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true }, { clock: new Date('2026-06-10T07:00:00Z') });
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
  const still = page.getByLabel(/Still working\?/);
  assert.equal(await still.inputValue(), '10');
  await still.selectOption({ label: 'After 8 hours' });
  await page.getByLabel('Never capture these applications').fill(' keepassxc, title:bank ');
  const remind = page.getByLabel('Remind me to start when I work without the timer');
  assert.equal(await remind.inputValue(), '5');
  await remind.selectOption({ label: 'Never' });
  await screenshot(page, 'settings');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const saved = page.locator('form.settings [role=status]');
  await expectText(saved, 'Settings saved.');
  await page.clock.runFor(5000);
  assert.equal(await saved.innerText(), '', '"Settings saved." goes after a few seconds');
  assert.deepEqual((await mock.calls('save_settings')).map((c) => c.args), [
    { settings: { idleThresholdSeconds: 720, screenshotIntervalSeconds: 600, screens: 'active', blur: true, startAtLogin: false, stillWorkingHours: 8, neverCapture: 'keepassxc, title:bank', remindToStartMinutes: null } },
  ]);

  // Screenshots off: the screen options no longer apply.
  await page.getByLabel('Take a screenshot').selectOption({ label: 'Off' });
  assert.equal(await page.getByLabel('Blur screenshots').isDisabled(), true);
  await mock.failNext('save_settings', { code: 'invalid', message: 'Start at login is not available on this system' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectText(page.getByRole('alert'), "Couldn't save the settings: Start at login is not available on this system.");
  assert.equal((await mock.calls('save_settings'))[1].args.settings.screenshotIntervalSeconds, null);
});

test('settings: Sign out is here, and asks first while the timer runs', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  assert.equal(await page.locator('header').getByRole('button', { name: 'Sign out' }).count(), 0, 'not in the header');
  await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Website' });
  await page.getByLabel('What are you working on?').fill('Checkout page');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Stop' }).waitFor();
  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  await expectText(page.locator('section.account'), 'Signed in as Omar Odeh (omar@acme.io) at https://stint.acme.io.');
  await page.getByRole('button', { name: 'Sign out' }).click();
  const ask = page.locator('section.account .ask');
  await expectText(ask, 'The timer is running (Website · Checkout page). Stop it and sign out?');
  await page.keyboard.press('Escape');
  assert.equal(await ask.count(), 0);
  assert.deepEqual(await mock.calls('sign_out'), []);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ask.getByRole('button', { name: 'Stop and sign out' }).click();
  await expectText(page.getByRole('button', { name: 'Sign in' }), 'Sign in');
  assert.equal((await mock.calls('sign_out')).length, 1);
});

test('settings: changes not saved survive a tab switch, and say so', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  const nav = page.getByRole('navigation');
  await nav.getByRole('button', { name: 'Settings' }).click();
  const idle = page.getByLabel('Ask about idle time after (minutes without input)');
  await eventually(async () => assert.equal(await idle.inputValue(), '5'));
  await idle.fill('15');
  await nav.getByRole('button', { name: 'Timer' }).click();
  await nav.getByRole('button', { name: 'Settings' }).click();
  await expectText(page.locator('form.settings [role=status]'), 'Your changes from before are here, not saved yet.');
  assert.equal(await idle.inputValue(), '15');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectText(page.locator('form.settings [role=status]'), 'Settings saved.');
  assert.equal((await mock.calls('save_settings'))[0].args.settings.idleThresholdSeconds, 900);
  // Saved: nothing is carried over any more.
  await nav.getByRole('button', { name: 'Timer' }).click();
  await nav.getByRole('button', { name: 'Settings' }).click();
  await eventually(async () => assert.equal(await idle.inputValue(), '15'));
  assert.equal(await page.locator('form.settings [role=status]').innerText(), '');
});
