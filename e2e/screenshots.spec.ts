import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, SAME_ORIGIN, signInByApi, signInByForm } from './fixtures';
import { takeLiveCapture } from './live-camera';

/**
 * The README's screenshots of the demo journey: `SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts`
 * writes docs/screenshots/*.png. Skipped in `npm test`.
 */
test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh the README screenshots');

const OUT = path.resolve('docs/screenshots');
const REFS = path.resolve('db/seed/demo-faces/references');

test('the demo journey, for the README', async ({ page, playwright }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(OUT, { recursive: true });
  await page.setViewportSize({ width: 1100, height: 800 });
  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  const admin = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: SAME_ORIGIN });
  await signInByApi(admin, 'admin@facelab.example', DEMO_PASSWORD);
  await expect.poll(async () => (await (await admin.get('/api/v1/models')).json()).data?.[0]?.latestVersion?.version ?? 0, { timeout: 120_000 }).toBe(1);

  await signInByForm(page, 'demo@forgetme.example', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  await page.getByRole('link', { name: 'Start a removal request' }).click();
  await shot('1-consent');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Agree and continue' }).click();
  // AT&T subject 2: the demo person whose live capture the fake camera can play (db/seed/demo-faces/README.md).
  await page.getByLabel('Choose photos of yourself').setInputFiles(
    fs
      .readdirSync(REFS)
      .filter((f) => f.startsWith('ATT_s2'))
      .map((f) => path.join(REFS, f)),
  );
  await expect(page.locator('[data-testid=reference][data-state=accepted]')).toHaveCount(2);
  await shot('2-photos');
  const camera = await takeLiveCapture(page, playwright.chromium);
  await expect(camera.tab.getByTestId('identity-state')).toHaveAttribute('data-state', 'passed', { timeout: 60_000 });
  await camera.tab.context().browser()!.close();
  fs.rmSync(camera.video, { force: true });
  await page.reload();
  await page.getByRole('button', { name: 'Search for my photos' }).click();
  await expect(page.getByRole('button', { name: 'These are all me' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'These are all me' }).click();
  await page.waitForLoadState('networkidle');
  await shot('3-review');
  await page.getByRole('checkbox', { name: /I confirm/ }).check();
  await page.getByRole('button', { name: 'Remove these photos' }).click();
  await expect(page.getByTestId('certificate')).toHaveCount(1, { timeout: 120_000 });
  await shot('4-certificates');

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'certificate (JSON)' }).click()]);
  const file = path.join(test.info().outputDir, 'certificate.json');
  await json.saveAs(file);
  await page.goto('/verify');
  await page.getByLabel('Certificate file (certificate.json)').setInputFiles(file);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('verdict')).toHaveText('Genuine: every check passed');
  await shot('5-verify');

  const partner = await page.context().browser()!.newPage();
  await partner.setViewportSize({ width: 1100, height: 800 });
  await signInByForm(partner, 'admin@facelab.example', DEMO_PASSWORD);
  await expect(partner).toHaveURL(/\/partner$/);
  await partner.getByRole('link', { name: 'Models', exact: true }).click();
  await partner.getByRole('link', { name: 'Demo identity head' }).click();
  await expect(partner.getByRole('cell', { name: 'Certified removal' }).or(partner.getByRole('cell', { name: 'Retrained from scratch' }))).toBeVisible();
  await partner.screenshot({ path: path.join(OUT, '6-partner-model.png'), fullPage: true });
  await admin.dispose();
});
