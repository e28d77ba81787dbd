import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, eventually, expectAccessible, expectText, screenshot } from './harness.mjs';

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

test('sign-in: a wrong password is said at the password, which takes the focus; trying again replaces it', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: false, password: 'right' });
  await page.getByLabel('Server URL').fill('https://stint.acme.io');
  await page.getByLabel('Email').fill('omar@acme.io');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const password = page.getByLabel('Password');
  await expectText(page.locator('#password-error'), "Couldn't sign in: Wrong email or password.");
  assert.equal(await password.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
  // The error is tied to the field: a screen reader reads it with the field.
  assert.equal(await password.getAttribute('aria-describedby'), 'password-error');
  assert.equal(await page.getByRole('button', { name: 'Sign in' }).isEnabled(), true);
  assert.equal(await page.getByRole('heading', { name: 'Timer' }).count(), 0);
  await password.fill('still wrong');
  await password.press('Enter');
  await eventually(async () => assert.equal((await mock.calls('sign_in')).length, 2));
  await expectText(page.locator('#password-error'), 'Wrong email or password.');
  assert.equal(await page.getByText('Wrong email or password').count(), 1, 'one error, not one per try');
  await expectAccessible(page, 'sign-in with an error');
  await screenshot(page, 'signin-error');
});

test('sign-in: an address that is not one is said at the field and never sent', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: false });
  await page.getByLabel('Server URL').fill('not a url !!');
  await page.getByLabel('Email').fill('omar@acme.io');
  await page.getByLabel('Password').fill('pw');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.locator('#server-error'), '"not a url !!" is not a server address.');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'server');
  assert.equal(await page.getByLabel('Server URL').getAttribute('aria-invalid'), 'true');
  // Fixed, the next problem is the next field's; the server's error is gone.
  await page.getByLabel('Server URL').fill('stint.acme.io');
  await page.getByLabel('Email').fill('omar');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.locator('#email-error'), 'Enter your email address');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
  assert.equal(await page.getByLabel('Server URL').getAttribute('aria-invalid'), null);
  assert.equal(await page.locator('#server-error').innerText(), '');
  assert.deepEqual(await mock.calls('sign_in'), []);
});

test('sign-in: an unreachable server is said at the server address', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: false });
  await mock.failNext('sign_in', { code: 'offline', message: "Can't reach stint.acme.io" });
  await page.getByLabel('Server URL').fill('stint.acme.io');
  await page.getByLabel('Email').fill('omar@acme.io');
  await page.getByLabel('Password').fill('pw');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.locator('#server-error'), "Couldn't sign in: Can't reach stint.acme.io.");
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'server');
});

test('sign-in: "Use on this computer only" needs no server', async (t) => {
  const { page, mock } = await openApp(t, { signedIn: false });
  await page.getByRole('button', { name: 'Use on this computer only' }).click();
  await expectText(page.locator('header'), 'this computer only');
  await expectText(page.getByRole('button', { name: 'Start' }), 'Start');
  assert.equal((await mock.calls('use_this_computer_only')).length, 1);
  // Sign out lives in Settings (not the first Tab stop any more); stopped, it asks nothing.
  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectText(page.getByRole('button', { name: 'Use on this computer only' }), 'Use on this computer only');
});
