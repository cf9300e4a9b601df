import { expect, test } from '@playwright/test';
import { signInByForm, signUpAndVerify, uniqueEmail, waitForMail, appAlert } from './fixtures';

test('a person signs up, confirms the address from the mail, signs in and lands on their home', async ({ page }) => {
  const email = uniqueEmail('ann');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Have your face removed');

  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Ann Example');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('a long password');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('status')).toContainText(email);

  // Not yet verified: sign-in is refused with a way to get a new link.
  await signInByForm(page, email, 'a long password');
  await expect(appAlert(page)).toHaveAttribute('data-code', 'email_not_verified');
  await expect(page.getByRole('button', { name: 'Send me a new confirmation link' })).toBeVisible();

  const mail = await waitForMail(email, { subject: /Confirm your e-mail/ });
  await page.goto(mail.links[0]);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(/\/sign-in\?verified=1/);

  // A used link is refused with its reason.
  await page.goto(mail.links[0]);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(appAlert(page)).toHaveAttribute('data-code', /token_used|token_invalid/);

  await signInByForm(page, email, 'wrong password!');
  await expect(appAlert(page)).toHaveAttribute('data-code', 'invalid_credentials');
  await signInByForm(page, email, 'a long password');
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Ann Example');
});

test('sign-up shows each bad field and a taken address, and writes nothing', async ({ page }) => {
  const email = uniqueEmail('dup');
  await signUpAndVerify(page, { kind: 'individual', name: 'Dup', email, password: 'a long password' });
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Dup Again');
  await page.getByLabel('E-mail address').fill('not an address');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByText('must be a valid e-mail address', { exact: true })).toBeVisible();
  await expect(page.getByText('must be at least 10 characters', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Your name'), 'a refused form keeps what was typed').toHaveValue('Dup Again');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('a long password');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(appAlert(page)).toHaveAttribute('data-code', 'email_taken');
});
