import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectHidden, expectText, screenshot } from './harness.mjs';

// Wednesday 10 June 2026: the week is Sun 7 – Sat 13 June.
const WEDNESDAY = new Date('2026-06-10T08:00:00Z');

test('timesheet: the week with its entries and total; Submit; previous and next week', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true }, { clock: WEDNESDAY });
  await page.getByRole('button', { name: 'Timesheet' }).click();
  const sheet = page.locator('section.timesheet');
  await expectText(sheet.getByRole('heading', { level: 2 }), 'Week of 7 – 13 Jun 2026');
  await expectText(sheet, 'Status: Draft');
  // All seven days, Sunday first, the days without time too.
  const days = sheet.locator('.day');
  assert.equal(await days.count(), 7);
  await expectText(days.first(), 'Sun 7 Jun No time');
  await expectText(days.nth(1), 'Mon 8 Jun 3 h 30 min Checkout page Website 09:00 – 12:30 3 h 30 min');
  await expectText(days.nth(2), 'Push notifications');
  await expectText(days.nth(6), 'Sat 13 Jun No time');
  await expectText(sheet.locator('.sheet-total'), 'Total 10 h 30 min');
  assert.equal(await sheet.getByRole('button', { name: 'Next week →' }).isDisabled(), true);
  await screenshot(page, 'timesheet');

  // Submit asks first, with the total and the week; keyboard only, and Escape cancels.
  await sheet.getByRole('button', { name: 'Submit for approval' }).focus();
  await page.keyboard.press('Enter');
  await expectText(sheet.locator('.ask'), /^Submit 10 h 30 min for 7\s?–\s?13 Jun\? Submit Cancel$/);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Submit');
  await screenshot(page, 'timesheet-submit-question');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Submit for approval');
  assert.deepEqual(await mock.calls('submit_timesheet'), []);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expectText(sheet, 'Status: Submitted, waiting for approval');
  await expectText(page.locator('.notice'), 'Submitted the week of 7 – 13 Jun 2026 for approval.');
  assert.equal(await sheet.getByRole('button', { name: 'Submit for approval' }).isVisible(), false);
  assert.deepEqual(await mock.calls('submit_timesheet'), [{ cmd: 'submit_timesheet', args: { id: 'ts-current' } }]);

  await sheet.getByRole('button', { name: '← Previous week' }).click();
  await expectText(sheet.getByRole('heading', { level: 2 }), 'Week of 31 May – 6 Jun 2026');
  // What was said about the other week goes.
  await expectHidden(page.locator('.notice'));
  await expectText(sheet, 'No time tracked this week.');
  await expectText(sheet.locator('.sheet-total'), 'Total 0 min');
  await sheet.getByRole('button', { name: 'Next week →' }).click();
  await expectText(sheet.getByRole('heading', { level: 2 }), 'Week of 7 – 13 Jun 2026');
  assert.deepEqual(
    (await mock.calls('timesheet')).map((c) => c.args.weekStart),
    [null, '2026-05-31', '2026-06-07'],
  );
});

test('timesheet: a refused submit is said in words and the week stays a draft', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true }, { clock: WEDNESDAY });
  await page.getByRole('button', { name: 'Timesheet' }).click();
  await mock.failNext('submit_timesheet', { code: 'refused', message: 'A timer is still running in this week' });
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.locator('.ask').getByRole('button', { name: 'Submit' }).click();
  await expectText(page.getByRole('alert'), "Couldn't submit the timesheet: A timer is still running in this week.");
  assert.equal(await page.locator('.ask').count(), 0, 'the question goes; Submit is back');
  await expectText(page.locator('section.timesheet'), 'Status: Draft');
});

test('timesheet: a week that fails to load says so in place, with Try again', async (t) => {
  const { page } = await openApp(t, { signedIn: true, failFirst: { timesheet: { code: 'offline', message: "Can't reach stint.acme.io" } } }, { clock: WEDNESDAY });
  await page.getByRole('button', { name: 'Timesheet' }).click();
  const sheet = page.locator('section.timesheet');
  await expectText(sheet.locator('.load-failed'), "Couldn't load the timesheet: Can't reach stint.acme.io.");
  await sheet.getByRole('button', { name: 'Try again' }).click();
  await expectText(sheet.getByRole('heading', { level: 2 }), 'Week of 7 – 13 Jun 2026');
});
