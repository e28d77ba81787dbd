import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, expectText, screenshot } from './harness.mjs';

test('sign-in: a person signs in to their company server and sees the timer', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: false });
  await expectText(page.getByRole('heading', { level: 2 }).first(), "Sign in to your company's server");
  await screenshot(page, 'signin');
  await page.getByLabel('Server URL').fill('stint.acme.io');
  await page.getByLabel('Email').fill('omar@acme.io');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('heading', { name: 'Timer' }), 'Timer');
  await expectText(page.locator('header'), 'Omar Odeh · https://stint.acme.io');
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  const [call] = await mock.calls('sign_in');
  assert.deepEqual(call.args, { server: 'https://stint.acme.io', email: 'omar@acme.io', password: 'correct horse' });
});

test('sign-in: a wrong password is said in words and the form stays', async (t) => {
  const { page } = await openApp(t, { signedIn: false, password: 'right' });
  await page.getByLabel('Server URL').fill('https://stint.acme.io');
  await page.getByLabel('Email').fill('omar@acme.io');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), "Couldn't sign in: Wrong email or password.");
  assert.equal(await page.getByRole('button', { name: 'Sign in' }).isEnabled(), true);
  assert.equal(await page.getByRole('heading', { name: 'Timer' }).count(), 0);
});

test('sign-in: "Use on this computer only" needs no server', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: false });
  await page.getByRole('button', { name: 'Use on this computer only' }).click();
  await expectText(page.locator('header'), 'this computer only');
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  assert.equal((await mock.calls('use_this_computer_only')).length, 1);
  // Signing out comes back here.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectText(page.getByRole('button', { name: 'Use on this computer only' }), 'Use on this computer only');
});
