import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectText, expectAccessible, expectFits, screenshot } from './harness.mjs';

const manager = {
  signedIn: true,
  user: { name: 'Lena Lind', email: 'lena@acme.io', server: 'https://stint.acme.io', canApprove: true, canManageProjects: true },
};

async function openProjects(t, scenario = manager, options) {
  const opened = await openApp(t, scenario, options);
  await opened.page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  await opened.page.getByRole('button', { name: 'Rename Website' }).waitFor();
  return opened;
}

const focused = (locator) => locator.evaluate((el) => el === document.activeElement);

async function expectFocus(locator) {
  await eventually(async () => assert.equal(await focused(locator), true, 'has the focus'));
}

test('Settings → Projects: keyboard only, rename (Escape cancels) and archive (asked first, Escape cancels)', async (t) => {
  const { page, mock } = await openProjects(t);
  const section = page.getByRole('region', { name: 'Projects' });
  const names = () => section.locator('.row-desc').allInnerTexts();
  assert.deepEqual(await names(), ['Website', 'Mobile app', 'Internal']);

  const rename = page.getByRole('button', { name: 'Rename Website' });
  await rename.focus();
  await page.keyboard.press('Enter');
  const field = page.getByLabel('New name for Website');
  await expectFocus(field);
  assert.equal(await field.inputValue(), 'Website');
  await page.keyboard.press('Escape');
  await expectFocus(rename);
  assert.equal(await field.count(), 0, 'Escape puts the row back');

  await page.keyboard.press('Enter');
  await expectFocus(field);
  await page.keyboard.type('Web site'); // the name is selected: typing replaces it
  await page.keyboard.press('Enter');
  await eventually(async () => assert.deepEqual(await names(), ['Web site', 'Mobile app', 'Internal']));
  await expectFocus(page.getByRole('button', { name: 'Rename Web site' }));
  await expectText(page.locator('.notice'), 'Renamed Website to Web site.');
  assert.deepEqual((await mock.calls('rename_project')).map((c) => c.args), [{ id: 'p-website', name: 'Web site' }]);

  await page.keyboard.press('Tab');
  const archive = page.getByRole('button', { name: 'Archive Web site' });
  await expectFocus(archive);
  await page.keyboard.press('Enter');
  const question = section.locator('.ask');
  await expectText(question, 'Archive Web site? Its time stays in reports; nobody can start new time on it.');
  await expectFocus(question.getByRole('button', { name: 'Archive' }));
  await page.keyboard.press('Escape');
  assert.equal(await question.count(), 0, 'Escape takes the question back');
  await expectFocus(archive);
  assert.deepEqual(await mock.calls('archive_project'), []);

  await page.keyboard.press('Enter');
  await expectFocus(question.getByRole('button', { name: 'Archive' }));
  await page.keyboard.press('Enter');
  await eventually(async () => assert.deepEqual(await names(), ['Mobile app', 'Internal']));
  await expectFocus(page.getByRole('button', { name: 'Rename Mobile app' }));
  await expectText(page.locator('.notice'), 'Archived Web site.');
  assert.deepEqual((await mock.calls('archive_project')).map((c) => c.args), [{ id: 'p-website' }]);

  // The timer's picker follows.
  await page.getByRole('navigation').getByRole('button', { name: 'Timer' }).click();
  const picker = page.getByLabel('Project', { exact: true });
  await eventually(async () =>
    assert.deepEqual(await picker.evaluate((el) => [...el.options].map((o) => o.text)), ['No project', 'Mobile app', 'Internal']),
  );
});

test('Settings → Projects: a name that cannot be is said at the field, before and after the server', async (t) => {
  const { page, mock } = await openProjects(t);
  await page.getByRole('button', { name: 'Rename Website' }).click();
  const field = page.getByLabel('New name for Website');
  await field.fill('  ');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const problem = page.locator('.rename-project .field-error');
  await expectText(problem, 'Give the project a name.');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(await field.getAttribute('aria-describedby'), await problem.getAttribute('id'));
  assert.deepEqual(await mock.calls('rename_project'), [], 'nothing sent');

  await field.fill('Internal');
  await page.keyboard.press('Enter');
  await expectText(problem, "Couldn't rename Website: a project named 'Internal' already exists.");
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await expectFocus(field);

  await mock.failNext('rename_project', { code: 'refused', message: 'only managers and admins may create or change projects' });
  await field.fill('Site');
  await page.keyboard.press('Enter');
  await expectText(problem, "Couldn't rename Website: only managers and admins may create or change projects.");
  await field.fill('Site');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Rename Site' }).waitFor();
  assert.equal(await page.locator('[aria-invalid]').count(), 0);
});

test('Settings → Projects is not there for an employee, and is for "this computer only"', async (t) => {
  const { page } = await openApp(t, { signedIn: true });
  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Save settings' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Projects' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Rename / }).count(), 0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Use on this computer only' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Rename Website' }).waitFor();
  await expectText(page.getByRole('heading', { name: 'Projects' }), 'Projects');
});

for (const width of [360, 440]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`Settings → Projects fits and is accessible at ${width} px, ${colorScheme}`, async (t) => {
      const { page } = await openProjects(t, manager, { width, colorScheme });
      await expectFits(page, `projects at ${width} px`);
      await expectAccessible(page, `projects at ${width} px ${colorScheme}`);

      await page.getByRole('button', { name: 'Rename Website' }).click();
      await page.getByLabel('New name for Website').fill('');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expectText(page.locator('.rename-project .field-error'), 'Give the project a name.');
      await page.getByRole('button', { name: 'Archive Mobile app' }).click();
      await expectText(page.locator('.projects .ask'), 'Archive Mobile app?');
      await expectFits(page, `rename and archive at ${width} px`);
      await expectAccessible(page, `rename and archive at ${width} px ${colorScheme}`);
      await screenshot(page, `settings-projects-${width}-${colorScheme}`);
    });
  }
}
