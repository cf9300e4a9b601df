import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { controlsWithoutFocus, expectAccessible } from './accessibility';
import { newPersonWithDraft } from './fixtures';

const REFS = path.resolve('db/seed/demo-faces/references');

test('reference photos: counted once, shown as the face kept, removable before the search; a file that is not a photo gets no broken picture', async ({
  page,
}) => {
  await newPersonWithDraft(page, 'refs', 'Rae Refs');
  const count = page.getByTestId('reference-count');
  await expect(count).toContainText('0 of 5 added');
  const mine = fs
    .readdirSync(REFS)
    .filter((f) => f.startsWith('Abdullah_Gul'))
    .map((f) => path.join(REFS, f));
  await page.getByLabel('Choose photos of yourself').setInputFiles(mine);
  const accepted = page.locator('[data-testid=reference][data-state=accepted]');
  await expect(accepted).toHaveCount(2);
  await expect(count).toContainText('2 of 5 added');

  // After a reload the two photos are still there, each as the face that was found, counted once.
  await page.reload();
  await expect(accepted).toHaveCount(2);
  await expect(count).toContainText('2 of 5 added');
  for (const n of [1, 2]) {
    const img = page.getByRole('img', { name: `Your photo ${n}, the face we use` });
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(112);
  }

  // Not a photo: refused with its reason, its name where a picture would be.
  await page.getByLabel('Choose photos of yourself').setInputFiles({ name: 'notes.txt', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture') });
  const refused = page.locator('[data-testid=reference][data-state=refused]');
  await expect(refused).toHaveCount(1);
  await expect(refused).toHaveAttribute('data-code', /unsupported_type|corrupt_image/);
  await expect(refused.getByTestId('no-preview')).toHaveText('notes.txt');
  await expectAccessible(page, 'draft, a refused file');
  // The styled file picker shows keyboard focus (on its label: the input itself is visually hidden).
  expect(await controlsWithoutFocus(page)).toEqual([]);
  await expect(count).toContainText('2 of 5 added');
  await refused.getByRole('button', { name: 'Dismiss' }).click();
  await expect(refused).toHaveCount(0);

  // A photo with several people: the person picks their face, and that face is what is kept.
  await page.getByLabel('Choose photos of yourself').setInputFiles(path.resolve('lib/faces/fixtures/group-bbt3.jpg'));
  const group = page.locator('[data-testid=reference][data-state=pick]');
  await expect(group).toContainText(/shows \d faces\. Pick yours: only that face is kept/);
  const faces = group.getByRole('button', { name: /^Face \d: this is me$/ });
  expect(await faces.count()).toBeGreaterThanOrEqual(2);
  await expectAccessible(page, 'draft, picking a face');
  await faces.first().click();
  await expect(accepted).toHaveCount(3);
  await expect(count).toContainText('3 of 5 added');
  await page.reload();
  await expect(accepted).toHaveCount(3);
  await expect.poll(() => page.getByRole('img', { name: 'Your photo 3, the face we use' }).evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(112);
  await page.getByRole('button', { name: 'Remove photo 3' }).click();
  await expect(accepted).toHaveCount(2);

  // Removed before the search: gone from the page and from the count, also after a reload.
  await page.getByRole('button', { name: 'Remove photo 1' }).click();
  await expect(accepted).toHaveCount(1);
  await expect(count).toContainText('1 of 5 added');
  await page.reload();
  await expect(accepted).toHaveCount(1);
  await expect(count).toContainText('1 of 5 added');
});
