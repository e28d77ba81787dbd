import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectText, expectAccessible, expectFits, screenshot } from './harness.mjs';

const offline = { pending: 0, failed: 0, lastSync: null, offline: true, message: "Can't reach the server" };

test('New project…: keyboard only, a name, chosen at once, Start on it; Escape cancels', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  const open = page.getByRole('button', { name: 'New project…' });
  await eventually(async () => assert.equal(await open.isEnabled(), true));
  await open.focus();
  await page.keyboard.press('Enter');
  const name = page.getByLabel('New project name');
  await eventually(async () => assert.equal(await name.evaluate((el) => el === document.activeElement), true));
  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await open.evaluate((el) => el === document.activeElement), true));
  assert.equal(await name.isVisible(), false, 'Escape closes the form');

  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // nothing typed
  await expectText(page.locator('#new-project-problem'), 'Give the project a name.');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.equal((await mock.calls()).some((c) => c.cmd === 'create_project'), false, 'nothing sent');

  await page.keyboard.type('Docs');
  await page.keyboard.press('Enter');
  const picker = page.getByLabel('Project', { exact: true });
  await eventually(async () => assert.equal(await picker.evaluate((el) => el.selectedOptions[0].text), 'Docs'));
  await eventually(async () => assert.equal(await picker.evaluate((el) => el === document.activeElement), true));
  const docs = await picker.inputValue();
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.locator('.state'), 'Tracking Docs');
  const calls = (await mock.calls()).filter((c) => c.cmd === 'create_project' || c.cmd === 'start');
  assert.equal(calls[0].cmd, 'create_project');
  assert.deepEqual(calls[0].args, { name: 'Docs' });
  assert.deepEqual(calls[1], { cmd: 'start', args: { projectId: docs, taskId: null, description: '' } });
});

test('New project… offline says it waits on this computer; an existing name is chosen, not doubled', async (t) => {
  const { page } = await openApp(t, { signedIn: true, sync: offline });
  const open = page.getByRole('button', { name: 'New project…' });
  await eventually(async () => assert.equal(await open.isEnabled(), true));
  await open.click();
  await page.getByLabel('New project name').fill('Train work');
  await page.getByRole('button', { name: 'Add' }).click();
  await expectText(page.locator('.new-item-wrap [role=status]'), '“Train work” is saved on this computer and reaches the server when it answers. You can start on it now.');

  await open.click();
  await page.getByLabel('New project name').fill('website');
  await page.getByRole('button', { name: 'Add' }).click();
  await expectText(page.locator('.new-item-wrap [role=status]'), '“Website” already exists: it is chosen.');
  const picker = page.getByLabel('Project', { exact: true });
  assert.equal(await picker.inputValue(), 'p-website');
  const names = await picker.evaluate((el) => [...el.options].map((o) => o.text));
  assert.equal(names.filter((n) => n.toLowerCase() === 'website').length, 1);
});

test('New project… is refused with the server’s words, in the form', async (t) => {
  const { page } = await openApp(t, {
    signedIn: true,
    failFirst: { create_project: { code: 'refused', message: 'Only managers and admins may create projects in this organization' } },
  });
  const open = page.getByRole('button', { name: 'New project…' });
  await eventually(async () => assert.equal(await open.isEnabled(), true));
  await open.click();
  await page.getByLabel('New project name').fill('Side project');
  await page.getByRole('button', { name: 'Add' }).click();
  await expectText(page.locator('#new-project-problem'), /Only managers and admins may create projects/);
  assert.equal(await page.getByLabel('New project name').getAttribute('aria-invalid'), 'true');
});

for (const width of [360, 440]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`the New project form fits and is accessible at ${width} px, ${colorScheme}`, async (t) => {
      const { page } = await openApp(t, { signedIn: true }, { width, colorScheme });
      const open = page.getByRole('button', { name: 'New project…' });
      await eventually(async () => assert.equal(await open.isEnabled(), true));
      await open.click();
      await page.getByRole('button', { name: 'Add' }).click();
      await expectText(page.locator('#new-project-problem'), 'Give the project a name.');
      await expectFits(page, `new project form at ${width} px`);
      await expectAccessible(page, `new project form at ${width} px ${colorScheme}`);
      await screenshot(page, `new-project-${width}-${colorScheme}`);
    });
  }
}
