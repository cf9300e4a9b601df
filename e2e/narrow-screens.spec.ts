import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { controlsWithoutFocus, seriousViolations } from './accessibility';
import { DEMO_PASSWORD, signInByForm } from './fixtures';

/**
 * Every page of each persona, at 390 px (a phone): no page scrolls sideways (wide tables scroll
 * inside their own frame), axe-core finds no serious or critical accessibility violation (WCAG
 * 2.1 A and AA rules), and every control reached with the Tab key shows its focus. Runs after the
 * journey (file order), so the consoles have a request, a model version and a certificate to show.
 */
const PAGES = {
  'demo@forgetme.example': ['/me', '/me/requests/new', '/account'],
  'admin@facelab.example': [
    '/partner',
    '/partner/datasets',
    '/partner/models',
    '/partner/removal-requests',
    '/partner/webhooks',
    '/partner/keys',
    '/partner/members',
    '/partner/api',
  ],
  'compliance@facelab.example': ['/compliance', '/compliance/certificates', '/compliance/audit', '/compliance/requests', '/compliance/log'],
} as const;

/** With SCREENSHOTS=1, each page is also photographed at 390 and 1280 px into docs/screenshots/pages/ (the README links them). */
const SHOTS = process.env.SCREENSHOTS ? path.resolve('docs/screenshots/pages') : null;
const slug = (p: string) =>
  p
    .replace(/^\//, '')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, 'one')
    .replace(/\//g, '-') || 'home';

async function photograph(page: Page, persona: string, pagePath: string) {
  if (!SHOTS) return;
  for (const width of [390, 1280]) {
    fs.mkdirSync(path.join(SHOTS, String(width)), { recursive: true });
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await page.screenshot({ path: path.join(SHOTS, String(width), `${persona}-${slug(pagePath)}.jpg`), fullPage: true, type: 'jpeg', quality: 70 });
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.use({ viewport: { width: 390, height: 844 } });

for (const [email, paths] of Object.entries(PAGES)) {
  test(`${email}: no page scrolls sideways at 390 px, and none has a serious accessibility violation`, async ({ page }) => {
    await signInByForm(page, email, DEMO_PASSWORD);
    await expect(page).not.toHaveURL(/sign-in/);
    const wide: string[] = [];
    const violations: string[] = [];
    const unfocused: string[] = [];
    const visit = async (url: string) => {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      const overflow = await sideways(page);
      if (overflow > 0) wide.push(`${url} (${overflow} px)`);
      violations.push(...(await seriousViolations(page)));
      unfocused.push(...(await controlsWithoutFocus(page)));
      await photograph(page, email.split('@')[0], url);
    };
    for (const p of paths) await visit(p);
    // And the first object each list links to (a training set, a model, a certificate).
    for (const [list, link] of [
      ['/partner/datasets', /\/partner\/datasets\/[0-9a-f-]{36}$/],
      ['/partner/models', /\/partner\/models\/[0-9a-f-]{36}$/],
      ['/compliance/certificates', /\/compliance\/certificates\/[0-9a-f-]{36}$/],
    ] as const) {
      if (!(paths as readonly string[]).includes(list)) continue;
      await page.goto(list);
      const href = await page
        .locator('main a')
        .evaluateAll((as, re) => as.map((a) => a.getAttribute('href') ?? '').find((h) => new RegExp(re).test(h)) ?? null, link.source);
      expect(href, `a link on ${list}`).not.toBeNull();
      await visit(href!);
    }
    // The person's own requests, in whatever states the earlier specs left them.
    if (paths.some((p) => p === '/me')) {
      await page.goto('/me');
      const requests = await page
        .locator('main a')
        .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href') ?? '').filter((h) => /^\/me\/requests\/[0-9a-f-]{36}$/.test(h)))]);
      for (const href of requests) await visit(href);
    }
    expect.soft(wide, 'pages wider than the screen').toEqual([]);
    expect.soft(unfocused, 'controls that show no focus').toEqual([]);
    expect(violations, 'serious accessibility violations').toEqual([]);
  });
}

/** The pages anyone reaches without an account, including links from e-mails opened with a stale token. */
const PUBLIC_PAGES = [
  '/',
  '/sign-in',
  '/sign-up',
  '/forgot-password',
  '/verify',
  '/how-matching-works',
  '/reset-password?token=stale',
  '/verify-email?token=stale',
];

test('anyone: no public page scrolls sideways at 390 px, and none has a serious accessibility violation', async ({ page }) => {
  const wide: string[] = [];
  const violations: string[] = [];
  const unfocused: string[] = [];
  const check = async (state: string) => {
    const overflow = await sideways(page);
    if (overflow > 0) wide.push(`${state} (${overflow} px)`);
    violations.push(...(await seriousViolations(page)));
    unfocused.push(...(await controlsWithoutFocus(page)));
  };
  for (const url of [...PUBLIC_PAGES, '/invite/stale-token']) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await check(url);
    await photograph(page, 'anyone', url.replace(/\?.*$/, ''));
  }
  // /verify with its answer shown: a file that is not a certificate gets the plain verdict and the checks.
  await page.goto('/verify');
  await page
    .getByLabel('Certificate file (certificate.json)')
    .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('verdict')).toHaveText('Not a certificate');
  await check('/verify, answered');
  expect.soft(wide, 'pages wider than the screen').toEqual([]);
  expect.soft(unfocused, 'controls that show no focus').toEqual([]);
  expect(violations, 'serious accessibility violations').toEqual([]);
});
