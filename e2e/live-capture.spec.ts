import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { takeLiveCapture } from './live-camera';
import { newPersonWithDraft } from './fixtures';

const REFS = path.resolve('db/seed/demo-faces/references');

/** A new person with a draft request holding the two reference photos of AT&T subject 2. */
async function draftOfS2(page: Page, name: string) {
  await newPersonWithDraft(page, name, 'Sam Two');
  const mine = fs
    .readdirSync(REFS)
    .filter((f) => f.startsWith('ATT_s2'))
    .map((f) => path.join(REFS, f));
  await page.getByLabel('Choose photos of yourself').setInputFiles(mine);
  await expect(page.locator('[data-testid=reference][data-state=accepted]')).toHaveCount(2);
}

/** Runs a capture in the fake-camera browser and returns the reason it was refused. */
async function refusal(page: Page, chromium: Parameters<typeof takeLiveCapture>[1], opts: Parameters<typeof takeLiveCapture>[2] & { keepVideo?: boolean }) {
  const { tab, video } = await takeLiveCapture(page, chromium, opts);
  const alert = tab.locator('[data-testid=live-capture] [role=alert]');
  await expect(alert).toBeVisible({ timeout: 60_000 });
  const found = { code: await alert.getAttribute('data-code'), message: await alert.textContent(), video };
  await tab.context().browser()!.close();
  if (!opts?.keepVideo) fs.rmSync(video, { force: true });
  return found;
}

test.describe('the live capture refuses', () => {
  test.setTimeout(180_000);

  test('a photo held to the camera, and a capture that ignores the challenge', async ({ page, playwright }) => {
    await draftOfS2(page, 'still');
    const still = await refusal(page, playwright.chromium, { mode: 'still' });
    expect(still.code).toBe('challenge_not_followed');
    expect(still.message).toMatch(/turn your head/);
    const ignored = await refusal(page, playwright.chromium, { mode: 'ignore' });
    expect(ignored.code).toBe('challenge_not_followed');
    await page.reload();
    await expect(page.getByRole('button', { name: 'Search for my photos' })).toBeDisabled();
  });

  test('someone else in front of the camera than the person in the photos', async ({ page, playwright }) => {
    await draftOfS2(page, 'other');
    const other = await refusal(page, playwright.chromium, { subject: 's39' });
    expect(other.code).toBe('reference_mismatch');
    expect(other.message).toMatch(/do(es)? not show the face in front of the camera/);
  });

  test('a capture played again: the same recording, for a new challenge', async ({ page, playwright }) => {
    await draftOfS2(page, 'replay');
    // The page grabs 5 frames a second. From a 10 fps video two captures can grab disjoint frames
    // (one the even frames, the other the odd ones), so nothing would be sent twice; from a 5 fps
    // video each capture grabs about 83 of its 104 frames, and the two must share some.
    const first = await refusal(page, playwright.chromium, { mode: 'ignore', keepVideo: true, fps: 5 });
    expect(first.code).toBe('challenge_not_followed');
    try {
      const again = await refusal(page, playwright.chromium, { replay: first.video });
      expect(again.code).toBe('replayed');
      expect(again.message).toMatch(/already sent/);
    } finally {
      fs.rmSync(first.video, { force: true });
    }
  });
});
