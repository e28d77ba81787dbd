import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectText, expectAccessible, expectFits, screenshot } from './harness.mjs';

const offline = { pending: 0, failed: 0, lastSync: null, offline: true, message: "Can't reach the server" };

async function ready(page) {
  const project = page.getByLabel('Project', { exact: true });
  await eventually(async () => assert.equal(await project.isEnabled(), true));
  return project;
}

test('the task picker follows the project; Start sends the task', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  const project = await ready(page);
  const task = page.getByLabel('Task', { exact: true });
  await project.selectOption({ label: 'Website' });
  await eventually(async () => assert.equal(await task.isVisible(), true));
  await eventually(async () =>
    assert.deepEqual(await task.evaluate((el) => [...el.options].map((o) => o.text)), ['No task', 'Checkout page']),
  );
  await task.selectOption({ label: 'Checkout page' });
  await page.getByRole('button', { name: 'Start' }).click();
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  const start = (await mock.calls()).find((c) => c.cmd === 'start');
  assert.deepEqual(start.args, { projectId: 'p-website', taskId: 't-checkout', description: '' });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');

  // Another project has its own (here none); no project, no task field.
  await project.selectOption({ label: 'Mobile app' });
  await eventually(async () =>
    assert.deepEqual(await task.evaluate((el) => [...el.options].map((o) => o.text)), ['No task']),
  );
  await project.selectOption({ label: 'No project' });
  await eventually(async () => assert.equal(await task.isVisible(), false));
});

test('New task…: keyboard only, made and chosen; Escape cancels; offline says why in the form', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  const project = await ready(page);
  await project.selectOption({ label: 'Website' });
  const open = page.getByRole('button', { name: 'New task…' });
  await eventually(async () => assert.equal(await open.isVisible(), true));
  await open.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await open.evaluate((el) => el === document.activeElement), true));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expectText(page.locator('#new-task-problem'), 'Give the task a title.');
  await page.keyboard.type('Payment');
  await page.keyboard.press('Enter');
  const task = page.getByLabel('Task', { exact: true });
  await eventually(async () => assert.equal(await task.evaluate((el) => el.selectedOptions[0].text), 'Payment'));
  const made = (await mock.calls()).find((c) => c.cmd === 'create_task');
  assert.deepEqual(made.args, { projectId: 'p-website', title: 'Payment' });
});

test('New task… while the server is away is refused in the form, with why', async (t) => {
  const { page } = await openApp(t, { signedIn: true, sync: offline });
  const project = await ready(page);
  await project.selectOption({ label: 'Website' });
  await page.getByRole('button', { name: 'New task…' }).click();
  await page.getByLabel('New task title').fill('Payment');
  await page.getByRole('button', { name: 'Add' }).click();
  await expectText(page.locator('#new-task-problem'), /a new task is made while it answers/);
  assert.equal(await page.getByLabel('New task title').getAttribute('aria-invalid'), 'true');
});

for (const width of [360, 440]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`the task picker and its form fit and are accessible at ${width} px, ${colorScheme}`, async (t) => {
      const { page } = await openApp(t, { signedIn: true }, { width, colorScheme });
      const project = await ready(page);
      await project.selectOption({ label: 'Website' });
      await page.getByRole('button', { name: 'New task…' }).click();
      await page.getByRole('button', { name: 'Add' }).click();
      await expectText(page.locator('#new-task-problem'), 'Give the task a title.');
      await expectFits(page, `task picker at ${width} px`);
      await expectAccessible(page, `task picker at ${width} px ${colorScheme}`);
      await screenshot(page, `tasks-${width}-${colorScheme}`);
    });
  }
}

test('the last project/task pairs start in one click, newest first, and survive a reload', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  const project = await ready(page);
  await project.selectOption({ label: 'Website' });
  const task = page.getByLabel('Task', { exact: true });
  await eventually(async () => assert.equal(await task.evaluate((el) => el.options.length), 2));
  await task.selectOption({ label: 'Checkout page' });
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Stop' }).click();
  await project.selectOption({ label: 'Mobile app' });
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  const pairs = page.locator('.recent-pairs button');
  await eventually(async () => assert.deepEqual(await pairs.allInnerTexts(), ['Mobile app', 'Website · Checkout page']));

  await page.reload();
  const again = page.getByRole('button', { name: 'Website · Checkout page' });
  await eventually(async () => assert.equal(await again.isVisible(), true));
  await again.click();
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  const starts = (await mock.calls()).filter((c) => c.cmd === 'start');
  assert.deepEqual(starts.at(-1).args, { projectId: 'p-website', taskId: 't-checkout', description: '' });
  await expectAccessible(page, 'after a one-click start');
});

test('while running, the project, task and description change in place, keyboard only; Escape cancels', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: true });
  await ready(page);
  await page.getByLabel('What are you working on?').fill('emails');
  await page.keyboard.press('Enter');
  await expectText(page.locator('.state'), 'Tracking emails');
  const change = page.getByRole('button', { name: 'Change project or description' });
  await change.focus();
  await page.keyboard.press('Enter');
  const description = page.getByLabel('What are you working on?');
  await eventually(async () => assert.equal(await description.evaluate((el) => el === document.activeElement), true));
  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await change.evaluate((el) => el === document.activeElement), true));
  assert.equal(await description.isVisible(), false, 'Escape puts the fields away');

  await page.keyboard.press('Enter');
  await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Website' });
  const task = page.getByLabel('Task', { exact: true });
  await eventually(async () => assert.equal(await task.evaluate((el) => el.options.length), 2));
  await task.selectOption({ label: 'Checkout page' });
  await description.fill('cart button');
  await description.press('Enter');
  await expectText(page.locator('.state'), 'Tracking Website · cart button');
  await expectText(page.getByRole('button', { name: 'Stop' }), 'Stop');
  const changed = (await mock.calls()).find((c) => c.cmd === 'change_running');
  assert.deepEqual(changed.args, { projectId: 'p-website', taskId: 't-checkout', description: 'cart button' });
  await expectAccessible(page, 'after changing the running timer');
});
