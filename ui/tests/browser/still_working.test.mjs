import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, expectHidden, expectAccessible, expectFits, screenshot } from './harness.mjs';

// Tracking since ten hours ago.
const tracking = () => ({
  signedIn: true,
  tracking: {
    state: 'tracking',
    logId: 'log-1',
    startedAt: new Date(Date.now() - 10 * 3600_000).toISOString(),
    elapsedSeconds: 10 * 3600,
    projectId: 'p-website',
    projectName: 'Website',
    description: 'Reading the spec',
  },
});

const focused = (page) => page.evaluate(() => document.activeElement?.textContent);

for (const [width, colorScheme] of [
  [360, 'light'],
  [440, 'dark'],
]) {
  test(`still working, ${width} px ${colorScheme}, keyboard only: Enter says yes and the timer goes on`, async (t) => {
    const { page, mock } = await openApp(t, tracking(), { width, colorScheme });
    await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
    await mock.askStillWorking(10);
    const dialog = page.getByRole('dialog', { name: 'Still working?' });
    await expectText(dialog, /The timer has run since \d\d:\d\d \(10 h\) on Website · Reading the spec\./);
    await expectText(dialog, /Without an answer by \d\d:\d\d, it stops at the last time you touched the keyboard or mouse\./);
    assert.equal(await focused(page), 'Yes, keep tracking');
    await expectFits(page, `the question at ${width} px`);
    await expectAccessible(page, `the question at ${width} px ${colorScheme}`);
    if (width === 360) await screenshot(page, 'still-working');
    // Escape does not make the question go away.
    await page.keyboard.press('Escape');
    await expectText(dialog, 'Still working?');
    await page.keyboard.press('Enter');
    await expectHidden(dialog);
    assert.equal((await mock.calls('still_working')).length, 1);
    await expectText(page.locator('.run button'), 'Stop');
  });
}

test('still working: "Stop now" stops the timer; a failed answer says so and keeps the question', async (t) => {
  const { page, mock } = await openApp(t, tracking());
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  await mock.askStillWorking(10);
  const dialog = page.getByRole('dialog', { name: 'Still working?' });
  await mock.failNext('stop', { code: 'internal', message: 'The outbox is locked' });
  await dialog.getByRole('button', { name: 'Stop now' }).click();
  await expectText(dialog.getByRole('alert'), "Couldn't answer: The outbox is locked.");
  await dialog.getByRole('button', { name: 'Stop now' }).click();
  await expectHidden(dialog);
  await expectText(page.locator('.run button'), 'Start');
  assert.equal((await mock.calls('still_working')).length, 0);
});

test('still working: an unanswered question is asked again when the window opens', async (t) => {
  const s = tracking();
  s.stillWorking = { runningSince: s.tracking.startedAt, stopsAt: new Date(Date.now() + 10 * 60_000).toISOString() };
  const { page, mock } = await openApp(t, s);
  const dialog = page.getByRole('dialog', { name: 'Still working?' });
  await dialog.getByRole('button', { name: 'Yes, keep tracking' }).click();
  await expectHidden(dialog);
  assert.equal((await mock.calls('still_working')).length, 1);
});

test('forgot to start: the reminder is said in the window', async (t) => {
  const { page } = await openApp(t, { signedIn: true });
  await page.evaluate(() =>
    window.__stintMock.emit('reminder', { text: "You've been working for 5 min, but Stint isn't tracking. Start the timer?" }),
  );
  await expectText(page.locator('.notice'), "You've been working for 5 min, but Stint isn't tracking. Start the timer?");
});
