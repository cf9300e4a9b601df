import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from '@playwright/test';
import { takeLiveCapture } from './live-camera';
import { expectAccessible } from './accessibility';
import { newPersonWithDraft } from './fixtures';

test.setTimeout(180_000);

test('a search that finds nothing says what was searched and offers, opt-in, to tell the person about training sets registered later', async ({
  page,
  playwright,
}) => {
  // AT&T subject 10 is in no registered training set (the demo set holds subject 2 only).
  await newPersonWithDraft(page, 'nomatch', 'Sam Ten');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-s10-'));
  const refs = await Promise.all(
    ['2.png', '8.png'].map(async (f) => {
      const out = path.join(dir, `s10-${f}`);
      await sharp(path.resolve('lib/liveness/fixtures/att/s10', f)).resize(184, 224).toFile(out);
      return out;
    }),
  );
  await page.getByLabel('Choose photos of yourself').setInputFiles(refs);
  await expect(page.locator('[data-testid=reference][data-state=accepted]')).toHaveCount(2);
  const camera = await takeLiveCapture(page, playwright.chromium, { subject: 's10' });
  await expect(camera.tab.getByTestId('identity-state')).toHaveAttribute('data-state', 'passed', { timeout: 60_000 });
  await camera.tab.context().browser()!.close();
  fs.rmSync(camera.video, { force: true });
  await page.reload();
  await page.getByRole('button', { name: 'Search for my photos' }).click();

  await expect(page.getByRole('heading', { name: 'We found no photos of you' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('search-scope')).toContainText(/We searched \d[\d,]* faces in 1 training set of 1 company/);
  // What happens next, in words: nothing to remove, no company told, the photos deleted on withdrawal or after 30 idle days.
  await expect(page.getByTestId('no-match-next')).toContainText('nothing to remove and no company is told');
  await expect(page.getByTestId('no-match-next')).toContainText('deleted 30 days after your last visit');
  await expectAccessible(page, 'no match');
  const watch = page.getByTestId('watch');
  await expect(watch.getByRole('heading', { name: 'Be told if a new training set may hold photos of you' })).toBeVisible();
  // Nothing is kept without the box ticked; the consent says what is kept, how, and until when.
  await watch.getByRole('button', { name: 'Tell me about new training sets' }).click();
  await expect(watch.getByRole('alert')).toContainText('Tick the box to agree first');
  const consent = watch.getByRole('checkbox');
  await expect(watch).toContainText(/encrypted .* deleted after 180 days/);
  await consent.check();
  await watch.getByRole('button', { name: 'Tell me about new training sets' }).click();
  // The panel now says until when, and how to stop (the same after a reload).
  await expect(page.getByRole('heading', { name: 'We will tell you about new training sets' })).toBeVisible();
  await expectAccessible(page, 'no match, watching');
  await expect(page.getByTestId('watch')).toContainText(/Until \w{3} \w{3} \d{2} \d{4}, each training set registered with forgetme is searched/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'We will tell you about new training sets' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop, and delete the face data kept for this' }).click();
  await expect(page.getByRole('heading', { name: 'Be told if a new training set may hold photos of you' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Be told if a new training set may hold photos of you' })).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
});
