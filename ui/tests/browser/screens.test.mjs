// Every screen at the window's sizes (360 px minimum, 440 px default, 1024 px
// maximized), light and dark: nothing scrolls sideways, and axe-core finds no
// WCAG 2 A/AA violation (contrast included). Screenshots of each
// land in test-results/screen-<name>-<width>-<scheme>.png.
import { test } from 'node:test';
import { openApp, expectAccessible, expectFits, expectText, screenshot } from './harness.mjs';

const WEDNESDAY = new Date('2026-06-10T08:00:00Z');
const manager = { signedIn: true, user: { name: 'Lena Lind', email: 'lena@acme.io', server: 'https://stint.acme.io', canApprove: true } };

for (const width of [360, 440, 1024]) {
  for (const colorScheme of ['light', 'dark']) {
    const at = `${width}-${colorScheme}`;
    const check = async (page, name) => {
      await expectFits(page, `${name} at ${at}`);
      await expectAccessible(page, `${name} at ${at}`);
      await screenshot(page, `screen-${name}-${at}`);
    };

    test(`fits and is accessible at ${width} px, ${colorScheme}: sign-in`, async (t) => {
      const { page } = await openApp(t, { signedIn: false }, { width, colorScheme });
      await expectText(page.getByRole('heading', { level: 2 }).first(), "Sign in to your company's server");
      await check(page, 'signin');
    });

    test(`fits and is accessible at ${width} px, ${colorScheme}: timer, idle, timesheet, approvals, privacy, settings`, async (t) => {
      const { page, mock } = await openApp(t, manager, { width, colorScheme, clock: WEDNESDAY });
      await expectText(page.locator('.logs'), 'Checkout page');
      await check(page, 'timer-stopped');
      await page.getByRole('button', { name: 'Start' }).click();
      await page.clock.runFor('47:13');
      await expectText(page.getByRole('timer'), '0:47:13');
      await check(page, 'timer-running');
      await mock.goIdle(12);
      await expectText(page.locator('.state'), 'Away since');
      await check(page, 'timer-away');
      await mock.comeBack();
      await expectText(page.getByRole('dialog'), 'You were idle for 12 min');
      await check(page, 'idle-prompt');
      await page.getByRole('dialog').getByRole('button').first().click();
      for (const [tab, heading, name] of [
        ['Timesheet', 'Week of', 'timesheet'],
        ['Approvals', 'Timesheets to approve', 'approvals'],
        ['Privacy', 'Who opened your screenshots', 'privacy'],
        ['Settings', 'Settings', 'settings'],
      ]) {
        await page.getByRole('navigation').getByRole('button', { name: tab }).click();
        await expectText(page.locator('#content h2'), heading);
        await page.locator('#content [role=status]:has-text("Loading")').waitFor({ state: 'detached' });
        await check(page, name);
        // The questions asked in place fit too.
        const asking = { timesheet: 'Submit for approval', approvals: /^Reject Jane/, settings: 'Sign out' }[name];
        if (asking) {
          await page.locator('#content').getByRole('button', { name: asking }).click();
          await page.locator('#content .ask').waitFor();
          await check(page, `${name}-question`);
          await page.keyboard.press('Escape');
        }
      }
    });
  }
}
