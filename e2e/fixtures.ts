import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_DATA_DIR, E2E_PORT } from '../playwright.config';

export type Mail = { to: string; subject: string; text: string; links: string[] };

/** Waits for the newest mail to `to` in the server's file outbox (the embedded mail transport). */
export async function waitForMail(to: string, opts: { subject?: RegExp; after?: number } = {}): Promise<Mail> {
  const dir = path.join(E2E_DATA_DIR, 'outbox');
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        if (!fs.existsSync(dir)) return false;
        const mails = fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Mail)
          .filter((m) => m.to === to && (!opts.subject || opts.subject.test(m.subject)));
        found = mails.at(-1);
        return Boolean(found);
      },
      { message: `a mail to ${to}`, timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
}

/** Signs in through Auth.js's own endpoints (CSRF token, then credentials), sharing cookies with `request`'s page. */
export async function signInByApi(request: APIRequestContext, email: string, password: string): Promise<void> {
  const { csrfToken } = await (await request.get('/api/auth/csrf')).json();
  const res = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, callbackUrl: '/home' },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  expect(res.headers().location ?? '').not.toContain('error');
}

/** Signs up and verifies through the real pages and the outbox. */
export async function signUpAndVerify(
  page: Page,
  opts: { kind: 'individual' | 'partner'; name: string; email: string; password: string; organizationName?: string },
) {
  await page.goto(opts.kind === 'partner' ? '/sign-up?kind=partner' : '/sign-up');
  await page.getByLabel('Your name').fill(opts.name);
  await page.getByLabel('E-mail address').fill(opts.email);
  await page.getByLabel('Password').fill(opts.password);
  if (opts.organizationName) await page.getByLabel('Company name').fill(opts.organizationName);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('status')).toContainText('We sent a confirmation link');
  const mail = await waitForMail(opts.email, { subject: /Confirm your e-mail/ });
  await page.goto(mail.links[0]);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(/\/sign-in\?verified=1/);
}

export async function signInByForm(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export const DEMO_PASSWORD = 'forgetme-demo';

/**
 * What a browser adds to a write from one of forgetme's own pages. Playwright's API requests send
 * no Origin, and cookie-authenticated writes without one are refused (lib/http/same-origin.ts).
 */
export const SAME_ORIGIN = { origin: `http://localhost:${E2E_PORT}` };

/** The app's own error or notice banner (Next.js adds a route announcer with role=alert too). */
export function appAlert(page: Page) {
  return page.locator('[role=alert][data-code]');
}

/** Signs a new person up, signs them in, and opens a draft request through the consent page; returns nothing (the page is on it). */
export async function newPersonWithDraft(page: Page, prefix: string, name: string): Promise<void> {
  const email = uniqueEmail(prefix);
  await signUpAndVerify(page, { kind: 'individual', name, email, password: 'a long password' });
  await signInByForm(page, email, 'a long password');
  await expect(page).toHaveURL(/\/me$/);
  await page.goto('/me/requests/new');
  for (const box of await page.getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: 'Agree and continue' }).click();
  await expect(page).toHaveURL(/\/me\/requests\/[0-9a-f-]{36}$/);
}

/** The demo partner's admin, signed in by API, once every model of the demo partner has its first version. */
export async function demoPartnerAdmin(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }): Promise<APIRequestContext> {
  const admin = await playwright.request.newContext({ baseURL: `http://localhost:${E2E_PORT}`, extraHTTPHeaders: SAME_ORIGIN });
  await signInByApi(admin, 'admin@facelab.example', DEMO_PASSWORD);
  const trained = async () => {
    const models = ((await (await admin.get('/api/v1/models')).json()).data ?? []) as { latestVersion: { version: number } | null }[];
    return models.length > 0 && models.every((m) => (m.latestVersion?.version ?? 0) >= 1);
  };
  await expect.poll(trained, { timeout: 120_000, message: "the demo partner's models are trained" }).toBe(true);
  return admin;
}
