import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, screenshot } from './harness.mjs';

const WEDNESDAY = new Date('2026-06-10T08:00:00Z');
const manager = { signedIn: true, user: { name: 'Lena Lind', email: 'lena@acme.io', server: 'https://stint.acme.io', canApprove: true } };

test('manager: the tab counts what waits; approve, then reject (asked), the focus moving on', async (t) => {
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
  await expectText(section.locator('.ask'), "Reject Omar Odeh's week of 31 May – 6 Jun 2026? Omar Odeh can change it and submit again.");
  await section.locator('.ask').getByRole('button', { name: 'Reject' }).click();
  await expectText(page.locator('.notice'), "Rejected Omar Odeh's week");
  await expectText(section, 'No timesheets are waiting for you.');
  await expectText(page.getByRole('navigation').getByRole('button', { name: /^Approvals/ }), 'Approvals');
  assert.deepEqual(
    (await mock.calls()).filter((c) => c.cmd === 'approve' || c.cmd === 'reject'),
    [
      { cmd: 'approve', args: { id: 'ts-jane' } },
      { cmd: 'reject', args: { id: 'ts-omar' } },
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
