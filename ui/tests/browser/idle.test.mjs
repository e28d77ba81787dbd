import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, expectHidden, screenshot } from './harness.mjs';

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
  await expectText(page.locator('.state'), 'Away since');
  await expectText(page.locator('#today'), '1 h 53 min'); // the idle stretch is not counted yet
  await mock.comeBack();
  const dialog = page.getByRole('dialog', { name: 'You were idle for 12 min' });
  await expectText(dialog, 'You were idle for 12 min');
  await expectText(dialog, 'Keep it as work time, discard it, or discard it and stop the timer.');
  return dialog;
}

for (const [button, answer, today, after] of [
  ['Keep', 'keep', '2 h 05 min', 'Stop'],
  ['Discard', 'discard', '1 h 53 min', 'Stop'],
  ['Discard & stop', 'stop', '1 h 53 min', 'Start'],
]) {
  test(`idle prompt: "${button}" answers ${answer}`, async (t) => {
    const { page, mock } = await openApp(t, tracking());
    const dialog = await idleAndBack(page, mock);
    if (answer === 'keep') await screenshot(page, 'idle-prompt');
    // Escape does not make the question go away.
    await page.keyboard.press('Escape');
    await expectText(dialog, 'You were idle for 12 min');
    await dialog.getByRole('button', { name: button, exact: true }).click();
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
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await expectText(dialog.getByRole('alert'), "Couldn't answer: The outbox is locked.");
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await expectHidden(dialog);
  assert.deepEqual(
    (await mock.calls('answer_idle')).map((c) => c.args),
    [
      { idleLogId: 'idle-9', answer: 'keep' },
      { idleLogId: 'idle-9', answer: 'keep' },
    ],
  );
});
