import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { appAlert, newPersonWithDraft, SAME_ORIGIN, signInByForm, signUpAndVerify, uniqueEmail, waitForMail } from './fixtures';

test('pages carry a nonce CSP, no framing, nosniff and no referrer, and run under it without a violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const seen = new Set<string>();
  for (const path of ['/', '/sign-in', '/sign-up', '/forgot-password', '/verify']) {
    const res = await page.goto(path);
    const h = res!.headers();
    const nonce = /'nonce-([^']+)'/.exec(h['content-security-policy'] ?? '')?.[1];
    expect(nonce, path).toBeTruthy();
    seen.add(nonce!);
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
  }
  expect(seen.size, 'a fresh nonce for every response').toBe(5);
  // Client code runs: the sign-up form switches to the partner fields without a reload.
  await page.goto('/sign-up?kind=partner');
  await expect(page.getByLabel('Company name')).toBeVisible();
  expect(violations).toEqual([]);
});

test('sign-out ends the session on the server: a copy of the cookie no longer works', async ({ page, browser }) => {
  const email = uniqueEmail('out');
  await signUpAndVerify(page, { kind: 'individual', name: 'Otto Out', email, password: 'a long password' });
  await signInByForm(page, email, 'a long password');
  await expect(page).toHaveURL(/\/me$/);
  const stolen = await page.context().cookies();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  const thief = await browser.newContext();
  await thief.addCookies(stolen);
  const tab = await thief.newPage();
  await tab.goto('/me');
  await expect(tab).toHaveURL(/\/sign-in\?next=/);
  await thief.close();
});

test("a write carrying the person's cookie from another site is refused", async ({ page }) => {
  await newPersonWithDraft(page, 'csrf', 'Cara');
  const url = `${page.url().replace('/me/requests/', '/api/me/requests/')}/references`;
  const photo = { name: 'me.jpg', mimeType: 'image/jpeg', buffer: fs.readFileSync('db/seed/demo-faces/references/Adrien_Brody_0004.jpg') };
  const forged = await page.request.post(url, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, multipart: { photo } });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.code).toBe('forbidden');
  const own = await page.request.post(url, { headers: SAME_ORIGIN, multipart: { photo } });
  expect(own.status()).toBe(201);
});

test('a forgotten password is reset by a single-use link that signs every session out', async ({ page }) => {
  const email = uniqueEmail('reset');
  await signUpAndVerify(page, { kind: 'individual', name: 'Rita Reset', email, password: 'the old password' });
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If');
  const mail = await waitForMail(email, { subject: /Reset your forgetme password/ });
  expect(mail.text).not.toContain('Rita');
  await page.goto(mail.links[0]);
  await page.getByLabel('New password').fill('the new password!');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1/);
  await signInByForm(page, email, 'the old password');
  await expect(appAlert(page)).toHaveAttribute('data-code', 'invalid_credentials');
  await signInByForm(page, email, 'the new password!');
  await expect(page).toHaveURL(/\/me$/);
  await page.goto(mail.links[0]);
  await page.getByLabel('New password').fill('a third password');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(appAlert(page)).toHaveAttribute('data-code', 'token_used');
});

test('a person deletes their account with their password; it can no longer sign in', async ({ page }) => {
  const email = uniqueEmail('gone');
  await signUpAndVerify(page, { kind: 'individual', name: 'Gina Gone', email, password: 'a long password' });
  await signInByForm(page, email, 'a long password');
  await expect(page).toHaveURL(/\/me$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account', exact: true }).click();
  await page.getByLabel('Your password').fill('a long password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(appAlert(page)).toHaveAttribute('data-code', 'validation_failed');
  await page.getByLabel('Your password').fill('a long password');
  await page.getByRole('checkbox', { name: /cannot be undone/ }).check();
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByRole('status')).toContainText('Your account is deleted');
  await signInByForm(page, email, 'a long password');
  await expect(appAlert(page)).toHaveAttribute('data-code', 'invalid_credentials');
});
