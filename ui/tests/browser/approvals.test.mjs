import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, expectAccessible, expectFits, screenshot } from './harness.mjs';

const WEDNESDAY = new Date('2026-06-10T08:00:00Z');
const manager = { signedIn: true, user: { name: 'Lena Lind', email: 'lena@acme.io', server: 'https://stint.acme.io', canApprove: true } };

test('manager: the tab counts what waits; approve, then reject (with a reason), the focus moving on', async (t) => {
  const { page, mock } = await openApp(t, manager, { clock: WEDNESDAY });
  const tab = page.getByRole('navigation').getByRole('button', { name: 'Approvals 2 waiting' });
  await expectText(tab, 'Approvals 2');
  await tab.click();
  const section = page.locator('section.approvals');
  await expectText(section.getByRole('heading'), 'Timesheets to approve');
  const rows = section.locator('li.row');
  await expectText(rows.first(), 'Jane Roe jane@acme.io 31 May – 6 Jun 2026 38 h 15 min');
  await expectText(rows.nth(1), 'Omar Odeh omar@acme.io 31 May – 6 Jun 2026 40 h');
  await screenshot(page, 'approvals');

  await page.getByRole('button', { name: "Approve Jane Roe's week of 31 May – 6 Jun 2026" }).click();
  await expectText(page.locator('.notice'), "Approved Jane Roe's week of 31 May – 6 Jun 2026.");
  assert.equal(await rows.count(), 1);
  await expectText(page.getByRole('navigation').getByRole('button', { name: /^Approvals/ }), 'Approvals 1');
  // The focus moved to the next row's Approve, so a keyboard user goes on from there.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), "Approve Omar Odeh's week of 31 May – 6 Jun 2026");
  await page.getByRole('button', { name: "Reject Omar Odeh's week of 31 May – 6 Jun 2026" }).click();
  const why = section.getByLabel("Why are you rejecting Omar Odeh's week of 31 May – 6 Jun 2026?");
  await why.fill('Wednesday has no time: add it and submit again.');
  await section.getByRole('button', { name: 'Reject week' }).click();
  await expectText(page.locator('.notice'), "Rejected Omar Odeh's week");
  await expectText(section, 'No timesheets are waiting for you.');
  await expectText(page.getByRole('navigation').getByRole('button', { name: /^Approvals/ }), 'Approvals');
  assert.deepEqual(
    (await mock.calls()).filter((c) => c.cmd === 'approve' || c.cmd === 'reject'),
    [
      { cmd: 'approve', args: { id: 'ts-jane' } },
      { cmd: 'reject', args: { id: 'ts-omar', reason: 'Wednesday has no time: add it and submit again.' } },
    ],
  );
});

test('manager: Approve all asks with the total, then approves each', async (t) => {
  const { page, mock } = await openApp(t, manager, { clock: WEDNESDAY });
  await page.getByRole('button', { name: /^Approvals/ }).click();
  const section = page.locator('section.approvals');
  await section.getByRole('button', { name: 'Approve all' }).click();
  await expectText(section.locator('.ask'), 'Approve 2 weeks, 78 h 15 min in all?');
  await page.keyboard.press('Enter');
  await expectText(section, 'No timesheets are waiting for you.');
  assert.deepEqual((await mock.calls('approve')).map((c) => c.args.id), ['ts-jane', 'ts-omar']);
});

test('manager: an approval the server refuses is said in words; the row stays', async (t) => {
  const { page, mock } = await openApp(t, manager);
  await page.getByRole('button', { name: 'Approvals' }).click();
  await mock.failNext('approve', { code: 'refused', message: 'Jane Roe is not your direct report' });
  await page.getByRole('button', { name: /^Approve Jane Roe/ }).click();
  await expectText(page.getByRole('alert'), "Couldn't approve Jane Roe's week: Jane Roe is not your direct report.");
  assert.equal(await page.locator('section.approvals li.row').count(), 2);
});

test('not a manager: no Approvals section', async (t) => {
  const { page } = await openApp(t, { signedIn: true });
  await expectText(page.getByRole('navigation'), 'Timer Timesheet Privacy Settings');
  assert.equal(await page.getByRole('button', { name: 'Approvals' }).count(), 0);
});

for (const [width, colorScheme] of [
  [360, 'light'],
  [360, 'dark'],
  [440, 'light'],
  [440, 'dark'],
]) {
  test(`manager (${width} px, ${colorScheme}, keyboard only): Reject asks why; blank is said at the field, Escape cancels, the reason is sent trimmed`, async (t) => {
    const { page, mock } = await openApp(t, manager, { clock: WEDNESDAY, width, colorScheme });
    await page.getByRole('button', { name: /^Approvals/ }).click();
    const section = page.locator('section.approvals');
    const reject = section.getByRole('button', { name: "Reject Jane Roe's week of 31 May – 6 Jun 2026" });
    await reject.focus();
    await page.keyboard.press('Enter');
    const why = section.getByLabel("Why are you rejecting Jane Roe's week of 31 May – 6 Jun 2026?");
    assert.equal(await why.evaluate((el) => el === document.activeElement), true, 'the reason takes the focus');
    await expectText(section.locator('.reject-form'), 'Jane Roe reads this, fixes the time and submits again.');
    await expectAccessible(page, 'the reject form');
    await expectFits(page, `the reject form at ${width} px`);
    await screenshot(page, `approvals-reject-${width}-${colorScheme}`);

    // Escape: the buttons come back, the focus on Reject; nothing sent.
    await page.keyboard.press('Escape');
    assert.equal(await section.locator('.reject-form').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), "Reject Jane Roe's week of 31 May – 6 Jun 2026");

    // Blank: said beside the field, which keeps the focus.
    await page.keyboard.press('Enter');
    await page.keyboard.type('   ');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Reject week');
    await page.keyboard.press('Enter');
    await expectText(section.locator('.field-error'), 'Say what to fix: the reason is sent to the employee.');
    assert.equal(await why.getAttribute('aria-invalid'), 'true');
    assert.equal(await why.evaluate((el) => el === document.activeElement), true);
    await expectAccessible(page, 'the reject form with its error');
    assert.equal((await mock.calls('reject')).length, 0);

    await page.keyboard.type('Tuesday is missing.  ');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectText(page.locator('.notice'), "Rejected Jane Roe's week of 31 May – 6 Jun 2026.");
    assert.deepEqual(await mock.calls('reject'), [{ cmd: 'reject', args: { id: 'ts-jane', reason: 'Tuesday is missing.' } }]);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), "Approve Omar Odeh's week of 31 May – 6 Jun 2026");
  });

  test(`manager (${width} px, ${colorScheme}, keyboard only): a week opens to its days, projects, logs and screenshots before deciding`, async (t) => {
    const { page, mock } = await openApp(t, manager, { clock: WEDNESDAY, width, colorScheme });
    await page.getByRole('button', { name: /^Approvals/ }).click();
    const section = page.locator('section.approvals');
    const show = section.getByRole('button', { name: /days of Omar Odeh's week of 31 May – 6 Jun 2026$/ });
    assert.equal(await show.getAttribute('aria-expanded'), 'false');
    assert.equal(await mock.calls('approval_week').then((c) => c.length), 0, 'loaded only on opening');
    await show.focus();
    await page.keyboard.press('Enter');
    assert.equal(await show.getAttribute('aria-expanded'), 'true');
    const days = page.locator('#week-ts-omar');
    await expectText(days.locator('.day').first(), 'Sun 31 May No time');
    const monday = days.getByRole('group', { name: /Mon 1 Jun/ });
    await expectText(monday.locator('h4'), 'Mon 1 Jun 8 h · 7 screenshots');
    await expectText(monday.getByRole('list', { name: 'Projects' }), 'Website 4 h 48 min Mobile app 3 h 12 min');
    await expectText(monday.getByRole('list', { name: 'Time' }).locator('li').first(), 'Checkout page Website 09:00 – 11:24 2 h 24 min');
    assert.equal(await days.locator('.day').count(), 7);
    assert.deepEqual(await mock.calls('approval_week'), [{ cmd: 'approval_week', args: { id: 'ts-omar' } }]);
    await expectAccessible(page, 'the opened week');
    await expectFits(page, `the opened week at ${width} px`);
    await screenshot(page, `approvals-week-${width}-${colorScheme}`);

    // Closed and opened again: no second load.
    await page.keyboard.press('Enter');
    assert.equal(await show.getAttribute('aria-expanded'), 'false');
    assert.equal(await days.isHidden(), true);
    await page.keyboard.press('Enter');
    await expectText(monday.locator('h4'), 'Mon 1 Jun 8 h · 7 screenshots');
    assert.equal((await mock.calls('approval_week')).length, 1);
  });
}

test('manager: days that fail to load say so, and Try again loads them', async (t) => {
  const { page, mock } = await openApp(t, manager, { clock: WEDNESDAY, width: 440 });
  await page.getByRole('button', { name: /^Approvals/ }).click();
  await mock.failNext('approval_week', { code: 'offline', message: "Can't reach stint.acme.io" });
  await page.getByRole('button', { name: "Show days of Jane Roe's week of 31 May – 6 Jun 2026" }).click();
  const days = page.locator('#week-ts-jane');
  await expectText(days, "Can't reach stint.acme.io");
  await days.getByRole('button', { name: 'Try again' }).click();
  await expectText(days.getByRole('group', { name: /Mon 1 Jun/ }).locator('h4'), 'Mon 1 Jun 7 h 39 min · 7 screenshots');
});

const rejectedWeek = {
  id: 'ts-back',
  weekStart: '2026-05-31',
  weekEnd: '2026-06-06',
  status: 'rejected',
  totalSeconds: 3600,
  rejectionReason: 'Wednesday is missing: add the standup.',
  entries: [
    { id: 'e1', date: '2026-06-01', projectName: 'Website', description: 'Checkout page', startedAt: '2026-06-01T09:00:00Z', stoppedAt: '2026-06-01T10:00:00Z', seconds: 3600 },
  ],
};

for (const colorScheme of ['light', 'dark']) {
  test(`employee (360 px, ${colorScheme}): a rejected week shows the manager's reason and the way forward`, async (t) => {
    const { page } = await openApp(t, { signedIn: true, timesheets: { '2026-05-31': rejectedWeek } }, { clock: WEDNESDAY, width: 360, colorScheme });
    await page.getByRole('navigation').getByRole('button', { name: 'Timesheet' }).click();
    await page.getByRole('button', { name: '← Previous week' }).click();
    const sheet = page.locator('section.timesheet');
    await expectText(sheet.locator('.sheet-status'), 'Status: Rejected');
    await expectText(sheet.locator('.rejection'), 'Why: Wednesday is missing: add the standup. Fix the time and submit again.');
    assert.equal(await sheet.getByRole('button', { name: 'Submit for approval' }).isVisible(), true);
    await expectAccessible(page, 'a rejected week');
    await expectFits(page, 'a rejected week at 360 px');
    await screenshot(page, `timesheet-rejected-${colorScheme}`);
  });
}
