import { expect, test } from '@playwright/test';
import { demoPartnerAdmin } from './fixtures';

test('anyone can read how matching works: the registry searched, the thresholds in force and the error rates, with their limits', async ({
  page,
  playwright,
}) => {
  // The page counts the registry; run alone, this spec would otherwise read it while the demo is still seeding.
  test.setTimeout(180_000);
  await (await demoPartnerAdmin(playwright)).dispose();
  await page.goto('/');
  await page.getByRole('link', { name: 'How matching works' }).click();
  await expect(page).toHaveURL(/\/how-matching-works$/);
  await expect(page.getByRole('heading', { level: 1, name: 'How matching works' })).toBeVisible();
  // The demo registry is searched: its faces and labels are counted, not zero.
  const plain = page.getByRole('region', { name: 'In plain words' });
  await expect(plain).toContainText(/today [1-9][\d,]* faces of [1-9][\d,]* labelled people in [1-9]\d* training sets/);
  await expect(plain).toContainText(/expect at most about 0\.0\d\d strangers['’] photos among the shown photos and [01]\.\d\d among the possible ones/);
  await expect(plain).toContainText('These count photos, not people');
  await expect(plain).toContainText(
    /a label of more than 3 photos must also be near enough that a search takes any stranger['’]s label that large at most once in 1,000 searches/,
  );
  // The demo registry is small enough for the rarest chance; the page says how it is chosen.
  await expect(plain).toContainText(/as rare as 1 in 1,000, unless that would miss more than 5 in 100 people['’]s own labels of 5 photos/);
  await expect(plain).toContainText('A photo that is only a possible match on its own goes with its label');
  // The thresholds table: one row for single photos and one per label size recorded (the calibrated sizes and 1,000), each a distance.
  const thresholds = page.getByRole('region', { name: 'The thresholds in force' }).getByRole('table');
  await expect(thresholds.getByRole('row')).toHaveCount(1 + 1 + 9);
  await expect(thresholds.getByRole('row', { name: /a label of 1,000 photos 0\.\d{4} 0\.\d{4}/ })).toBeVisible();
  await expect(thresholds.getByRole('row', { name: /a single photo 0\.\d{4} 0\.\d{4}/ })).toBeVisible();
  // Found rates with their intervals, the chart with its table, and the limits stated.
  const found = page.getByRole('region', { name: 'How often your own photos are found' });
  await expect(found.getByRole('row', { name: /^3 photos \d+(\.\d)? % \(95 % interval/ })).toBeVisible();
  await expect(found.getByRole('img', { name: /labels found, by the number of faces searched/ })).toBeVisible();
  await expect(found.getByRole('row', { name: /^10,000,000/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'How these numbers were measured, and their limits' })).toContainText(
    'public figures photographed by the press',
  );
});
