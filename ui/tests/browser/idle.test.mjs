import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectText, expectHidden, screenshot } from './harness.mjs';

// Tracking for 30 minutes; today's 2 h 05 min include them.
const tracking = () => ({
  signedIn: true,
  tracking: {
    state: 'tracking',
    logId: 'log-1',
    startedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    elapsedSeconds: 30 * 60,
    projectId: 'p-website',
    projectName: 'Website',
    description: 'Reading the spec',
  },
  todaySeconds: 2 * 3600 + 5 * 60,
});

/** Away for 12 minutes, then back: the prompt asks. */
async function idleAndBack(page, mock) {
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  await mock.goIdle(12);
  await expectText(page.locator('.state'), /^Away since \d\d:\d\d — not counted$/);
  await expectText(page.locator('#today'), '1 h 53 min'); // the idle stretch is not counted yet
  await mock.comeBack();
  const dialog = page.getByRole('dialog', { name: 'You were idle for 12 min' });
  await expectText(dialog, 'You were idle for 12 min');
  // It names what was tracked.
  await expectText(dialog, 'you did not touch the keyboard or mouse while tracking Website · Reading the spec.');
  return dialog;
}

for (const [button, answer, today, after] of [
  ['Keep 12 min', 'keep', '2 h 05 min', 'Stop'],
  ['Discard 12 min, keep tracking', 'discard', '1 h 53 min', 'Stop'],
  [/^Discard and stop at \d\d:\d\d$/, 'stop', '1 h 53 min', 'Start'],
]) {
  test(`idle prompt: "${button}" answers ${answer}`, async (t) => {
    const { page, mock } = await openApp(t, tracking());
    const dialog = await idleAndBack(page, mock);
    if (answer === 'keep') await screenshot(page, 'idle-prompt');
    // Escape does not make the question go away.
    await page.keyboard.press('Escape');
    await expectText(dialog, 'You were idle for 12 min');
    await dialog.getByRole('button', { name: button, exact: typeof button === 'string' }).click();
    await expectHidden(dialog);
    const [call] = await mock.calls('answer_idle');
    assert.equal(call.args.answer, answer);
    assert.match(call.args.idleLogId, /^idle-/);
    assert.equal((await mock.calls('answer_idle')).length, 1);
    await expectText(page.locator('#today'), today);
    await expectText(page.locator('.run button'), after);
  });
}

test('idle prompt: an unanswered prompt is asked again when the window opens', async (t) => {
  const s = tracking();
  s.idlePrompts = [
    { idleLogId: 'idle-9', from: new Date(Date.now() - 20 * 60_000).toISOString(), to: new Date(Date.now() - 5 * 60_000).toISOString() },
  ];
  const { page, mock } = await openApp(t, s);
  const dialog = page.getByRole('dialog', { name: 'You were idle for 15 min' });
  await expectText(dialog, 'You were idle for 15 min');
  await mock.failNext('answer_idle', { code: 'internal', message: 'The outbox is locked' });
  await dialog.getByRole('button', { name: 'Keep 15 min' }).click();
  await expectText(dialog.getByRole('alert'), "Couldn't answer: The outbox is locked.");
  await dialog.getByRole('button', { name: 'Keep 15 min' }).click();
  await expectHidden(dialog);
  assert.deepEqual(
    (await mock.calls('answer_idle')).map((c) => c.args),
    [
      { idleLogId: 'idle-9', answer: 'keep' },
      { idleLogId: 'idle-9', answer: 'keep' },
    ],
  );
});

const focused = (page) => page.evaluate(() => document.activeElement?.textContent);

test('idle prompt, keyboard only: the focus stays put when the status refreshes; Enter keeps a short absence', async (t) => {
  const { page, mock } = await openApp(t, tracking());
  const dialog = await idleAndBack(page, mock);
  assert.equal(await focused(page), 'Keep 12 min', 'Keep is the default after 12 min');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'Discard 12 min, keep tracking');
  // A tracking-changed event brings a fresh status with the same prompt: nothing is rebuilt.
  await page.evaluate(() => window.__stintMock.emit('tracking-changed', window.__stintMock.state.tracking));
  await eventually(async () => assert.ok((await mock.calls('status')).length >= 2));
  assert.equal(await focused(page), 'Discard 12 min, keep tracking');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expectHidden(dialog);
  assert.deepEqual((await mock.calls('answer_idle')).map((c) => c.args.answer), ['keep']);
});

test('idle prompt: after a long absence Enter discards, keeping the timer on; queued prompts say "1 of 2"', async (t) => {
  const s = tracking();
  const ago = (min) => new Date(Date.now() - min * 60_000).toISOString();
  s.idlePrompts = [
    { idleLogId: 'idle-long', from: ago(130), to: ago(35) },
    { idleLogId: 'idle-short', from: ago(20), to: ago(8) },
  ];
  const { page, mock } = await openApp(t, s);
  const dialog = page.getByRole('dialog');
  await expectText(dialog, '1 of 2');
  await expectText(dialog.getByRole('heading'), 'You were idle for 1 h 35 min');
  assert.equal(await focused(page), 'Discard 1 h 35 min, keep tracking', 'Keep is not the default after 1 h 35 min');
  await screenshot(page, 'idle-prompt-long');
  await page.keyboard.press('Enter');
  await expectText(dialog, '2 of 2');
  await expectText(dialog.getByRole('heading'), 'You were idle for 12 min');
  assert.equal(await focused(page), 'Keep 12 min');
  await page.keyboard.press('Enter');
  await expectHidden(dialog);
  assert.deepEqual(
    (await mock.calls('answer_idle')).map((c) => c.args),
    [
      { idleLogId: 'idle-long', answer: 'discard' },
      { idleLogId: 'idle-short', answer: 'keep' },
    ],
  );
});
