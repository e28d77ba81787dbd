import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, expectHidden, screenshot } from './harness.mjs';

const signedIn = { signedIn: true };
// Wednesday 10 June 2026, 09:00 in Berlin (the tests run in Europe/Berlin).
const NINE = new Date('2026-06-10T07:00:00Z');

test('start/stop: pick a project, Start, the elapsed time ticks, Stop', async (t) => {
  const { page, mock } = await openApp(t, signedIn, { clock: NINE });
  await expectText(page.locator('#today'), '2 h 05 min');
  await expectText(page.locator('#week'), '12 h 40 min');
  await expectText(page.getByRole('timer'), '0:00:00');
  await page.getByLabel('Project').selectOption({ label: 'Mobile app' });
  await page.getByLabel('What are you working on?').fill('Push notifications');
  await page.getByRole('button', { name: 'Start' }).click();

  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  await expectText(page.locator('.state'), 'Tracking Mobile app since 09:00.');
  assert.equal(await page.getByLabel('Project').isDisabled(), true);
  await page.clock.runFor('01:05');
  await expectText(page.getByRole('timer'), '0:01:05');
  await expectText(page.locator('#today'), '2 h 06 min');
  await page.clock.runFor('59:00');
  await expectText(page.getByRole('timer'), '1:00:05');
  await expectText(page.locator('#today'), '3 h 05 min');
  await expectText(page.locator('.logs li.row').first(), 'Push notifications Mobile app Waiting 09:00 – now 1 h');
  await screenshot(page, 'timer-tracking');

  await page.getByRole('button', { name: 'Stop' }).click();
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  await expectText(page.locator('.state'), 'Timer stopped.');
  await expectText(page.locator('#today'), '3 h 05 min');
  await page.clock.runFor('05:00');
  await expectText(page.locator('#today'), '3 h 05 min'); // stopped: nothing ticks
  await expectText(page.locator('.logs li.row').first(), 'Push notifications Mobile app Waiting 09:00 – 10:00 1 h');

  const calls = (await mock.calls()).filter((c) => c.cmd === 'start' || c.cmd === 'stop');
  assert.deepEqual(calls, [
    { cmd: 'start', args: { projectId: 'p-mobile', description: 'Push notifications' } },
    { cmd: 'stop', args: {} },
  ]);
});

test('start/stop: a failing Start is shown in words, never swallowed', async (t) => {
  const { page, mock } = await openApp(t, signedIn);
  await mock.failNext('start', { code: 'offline', message: "Can't reach stint.acme.io" });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('alert'), "Couldn't start the timer: Can't reach stint.acme.io.");
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expectHidden(page.locator('.errors .error'));
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

test('screenshots: delete one before upload, with its time; an uploaded one cannot be', async (t) => {
  const { page, mock } = await openApp(t, signedIn);
  const shots = page.locator('.shot-list li');
  await expectText(shots.nth(1), 'Uploaded');
  assert.equal(await page.getByRole('img', { name: /Screenshot taken at/ }).count(), 2);
  await page.getByRole('button', { name: /^Delete screenshot taken at/ }).click();
  await expectText(shots.first(), 'Delete this screenshot and the time it covers?');
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expectText(page.locator('.notice'), 'Deleted the screenshot taken at');
  assert.equal(await page.getByRole('img', { name: /Screenshot taken at/ }).count(), 1);
  assert.deepEqual(await mock.calls('delete_screenshot'), [{ cmd: 'delete_screenshot', args: { id: 's2' } }]);
});

test('session ended: a signedOut error takes the person back to sign-in, saying so', async (t) => {
  const { page, mock } = await openApp(t, signedIn);
  await mock.failNext('start', { code: 'signedOut', message: 'Your session ended. Sign in again' });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('alert'), "Couldn't start the timer: Your session ended. Sign in again.");
  await expectText(page.getByRole('button', { name: 'Sign in' }), 'Sign in');
});
