import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectText, expectHidden, screenshot } from './harness.mjs';

const signedIn = { signedIn: true };
// Wednesday 10 June 2026, 09:00 in Berlin (the tests run in Europe/Berlin).
const NINE = new Date('2026-06-10T07:00:00Z');

test('start/stop: pick a project, Start, the elapsed time ticks, Stop', async (t) => {
  const { page, mock } = await openApp(t, signedIn, { clock: NINE });
  await expectText(page.locator('#today'), '2 h 05 min');
  await expectText(page.locator('#week'), '12 h 40 min');
  await expectText(page.getByRole('timer'), '0:00:00');
  await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Mobile app' });
  await page.getByLabel('What are you working on?').fill('Push notifications');
  await page.getByRole('button', { name: 'Start' }).click();

  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  // Running is unmistakable: a tinted card, what runs above the clock, since when, the window's title.
  await expectText(page.locator('.state'), 'Tracking Mobile app · Push notifications');
  await expectText(page.locator('#elapsed-label'), 'Since 09:00');
  assert.match(await page.locator('section.controls').getAttribute('class'), /\btracking\b/);
  assert.equal(await page.getByLabel('Project', { exact: true }).isVisible(), false, 'the fields make way while running');
  await page.clock.runFor('01:05');
  await expectText(page.getByRole('timer'), '0:01:05');
  await expectText(page.locator('#today'), '2 h 06 min');
  await page.clock.runFor('59:00');
  await expectText(page.getByRole('timer'), '1:00:05');
  await expectText(page.locator('#today'), '3 h 05 min');
  assert.equal(await page.title(), '1:00:05 · Mobile app — Stint');
  await expectText(page.locator('.logs li.row').first(), 'Push notifications Mobile app Waiting 09:00 – now 1 h');
  await screenshot(page, 'timer-tracking');

  await page.getByRole('button', { name: 'Stop' }).click();
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  await expectText(page.locator('.state'), 'Timer stopped.');
  assert.equal(await page.title(), 'Stint');
  await expectText(page.locator('#today'), '3 h 05 min');
  await page.clock.runFor('05:00');
  await expectText(page.locator('#today'), '3 h 05 min'); // stopped: nothing ticks
  await expectText(page.locator('.logs li.row').first(), 'Push notifications Mobile app Continue Waiting 09:00 – 10:00 1 h');

  const calls = (await mock.calls()).filter((c) => c.cmd === 'start' || c.cmd === 'stop');
  assert.deepEqual(calls, [
    { cmd: 'start', args: { projectId: 'p-mobile', taskId: null, description: 'Push notifications' } },
    { cmd: 'stop', args: {} },
  ]);

  // The next window remembers the project last started on.
  await page.reload();
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  await eventually(async () => assert.equal(await page.getByLabel('Project', { exact: true }).inputValue(), 'p-mobile'));
});

test('start waits for the projects, then starts on the one shown; Continue starts a recent entry again', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true, latencyMs: 1500 });
  const start = page.getByRole('button', { name: 'Start' });
  await expectText(page.getByLabel('Project', { exact: true }), 'Loading projects…');
  assert.equal(await start.isDisabled(), true, 'Start waits for the project list');
  await eventually(async () => assert.equal(await start.isEnabled(), true));
  assert.equal(await page.getByLabel('Project', { exact: true }).inputValue(), '', 'nothing remembered: No project, not the first one');
  await page.getByRole('button', { name: 'Continue Checkout page, Website' }).last().click();
  await expectText(page.locator('.state'), 'Tracking Website · Checkout page');
  assert.deepEqual((await mock.calls('start')).map((c) => c.args), [{ projectId: 'p-website', taskId: null, description: 'Checkout page' }]);
  // No Continue while the timer runs.
  await eventually(async () => assert.equal(await page.getByRole('button', { name: /^Continue/ }).count(), 0));
});

test('projects that fail to load say so at the picker, with Try again', async (t) => {
  const { page } = await openApp(t, { signedIn: true, failFirst: { projects: { code: 'offline', message: "Can't reach stint.acme.io" } } });
  await expectText(page.locator('.controls .load-failed'), "Couldn't load the projects: Can't reach stint.acme.io.");
  await page.locator('.controls').getByRole('button', { name: 'Try again' }).click();
  await expectText(page.getByLabel('Project', { exact: true }), 'Mobile app');
  assert.equal(await page.locator('.controls .load-failed').count(), 0);
});

test('start/stop: a failing Start is shown in words, once, and goes when it works', async (t) => {
  const { page, mock } = await openApp(t, signedIn);
  await mock.failNext('start', { code: 'offline', message: "Can't reach stint.acme.io" });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('alert'), "Couldn't start the timer: Can't reach stint.acme.io.");
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  // Trying again replaces the error; it does not pile up.
  await mock.failNext('start', { code: 'offline', message: 'Still no network' });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('alert'), "Couldn't start the timer: Still no network.");
  assert.equal(await page.locator('.errors .error').count(), 1);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expectHidden(page.locator('.errors .error'));
  await mock.failNext('start', { code: 'offline', message: 'Once more' });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('alert'), 'Once more');
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  await expectHidden(page.locator('.errors .error'));
  await page.getByRole('button', { name: 'Stop' }).click();
  // A bare string from Tauri itself (unknown command) is shown too.
  await mock.failNext('stop', 'command stop not found');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expectText(page.getByRole('alert'), "Couldn't stop the timer: command stop not found.");
});

test('start/stop: the timer stopped on another computer says why', async (t) => {
  const { page } = await openApp(t, signedIn);
  // Enter in the description starts it too.
  await page.getByLabel('What are you working on?').fill('Review');
  await page.getByLabel('What are you working on?').press('Enter');
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  await page.evaluate(() => {
    window.__stintMock.state.tracking = { state: 'stopped' };
    return window.__stintMock.emit('tracking-changed', {
      state: 'stopped',
      message: 'Stopped: you started the timer on another computer.',
    });
  });
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  await expectText(page.locator('.notice'), 'Stopped: you started the timer on another computer.');
});

test('screenshots: Delete says the time that goes with it; Escape cancels; keyboard only', async (t) => {
  const { page, mock } = await openApp(t, signedIn, { clock: NINE });
  const shots = page.locator('.shot-list li');
  await expectText(shots.nth(1), 'Uploaded');
  assert.equal(await page.getByRole('img', { name: /Screenshot taken at/ }).count(), 2);
  const del = page.getByRole('button', { name: /^Delete screenshot taken at/ });
  await del.focus();
  await page.keyboard.press('Enter');
  // The screenshot before it was 15 min earlier, the interval is 10 min: 10 min go with it.
  await expectText(shots.first(), 'Delete this screenshot and the time tracked from 08:29 to 08:39 (10 min)?');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Yes, delete');
  await page.keyboard.press('Escape');
  await expectText(shots.first(), 'Delete');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Delete screenshot taken at 08:39');
  assert.deepEqual(await mock.calls('delete_screenshot'), []);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expectText(page.locator('.notice'), 'Deleted the screenshot taken at 08:39 and its time.');
  assert.equal(await page.getByRole('img', { name: /Screenshot taken at/ }).count(), 1);
  assert.deepEqual(await mock.calls('delete_screenshot'), [{ cmd: 'delete_screenshot', args: { id: 's2' } }]);
});

test('screenshots: where the organization keeps the time, Delete says the time stays', async (t) => {
  const { page, mock } = await openApp(t, signedIn, { clock: NINE });
  await page.evaluate(() => {
    for (const s of window.__stintMock.state.screenshots) s.deleteKeepsTime = true;
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Timer' }).click();
  const shots = page.locator('.shot-list li');
  await page.getByRole('button', { name: /^Delete screenshot taken at/ }).click();
  await expectText(
    shots.first(),
    'Delete this screenshot? Your tracked time stays; your manager sees \u201cscreenshot removed by the employee\u201d for those minutes.',
  );
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expectText(page.locator('.notice'), 'Deleted the screenshot taken at 08:39; its time stays.');
  assert.deepEqual(await mock.calls('delete_screenshot'), [{ cmd: 'delete_screenshot', args: { id: 's2' } }]);
});

test('session ended: a signedOut error takes the person back to sign-in, saying so', async (t) => {
  const { page, mock } = await openApp(t, signedIn);
  await mock.failNext('start', { code: 'signedOut', message: 'Your session ended. Sign in again' });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('alert'), "Couldn't start the timer: Your session ended. Sign in again.");
  await expectText(page.getByRole('button', { name: 'Sign in' }), 'Sign in');
});
