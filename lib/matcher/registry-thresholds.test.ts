import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LARGE_LABEL, labelTiers, STRANGERS, thresholdsFor, type LabelCalibration } from './registry-thresholds';
import { fmrAt, thresholdAt } from './tail-fit';

const line = (intercept: number, slope = 0.1) => ({ intercept, slope });
const size = (n: number, l: { intercept: number; slope: number }) => ({
  size: n,
  labels: 100,
  pairs: 1e6,
  line: l,
  range: [2.5e-5, 0.05],
  genuine: {},
  genuineDistances: [],
});
// Size 5's line lies higher than size 1's (looser), size 50's lower (stricter).
const cal: LabelCalibration = {
  stat: 'template',
  date: '2026-11-30',
  source: 'test',
  shareDistance: 0.6,
  minShare: 0.5,
  sizes: [size(1, line(0.8)), size(5, line(0.85)), size(50, line(0.75))],
};
const loose = { shown: 10, possible: 10 };
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * b;

test("each photo comparison gets half of each tier's stranger budget over the number of faces", () => {
  const t = thresholdsFor(cal, { faces: 1_000_000, labels: 10_000 }, loose);
  // Read back through the line: faces × rate at the photo threshold is half the budget.
  assert.ok(close(1_000_000 * fmrAt(line(0.8), t.photo.shown), STRANGERS.shown / 2));
  assert.ok(close(1_000_000 * fmrAt(line(0.8), t.photo.possible), STRANGERS.possible / 2));
  assert.equal(t.extrapolated, true, '5e-9 is below the 2.5e-5 the data could count');
  // Known value: 0.8 + 0.1 × Φ⁻¹(5e-9) = 0.8 − 0.1 × 5.7307 = 0.2269.
  assert.ok(Math.abs(t.photo.shown - 0.22693) < 1e-4, String(t.photo.shown));
});

test('each label gets an equal share of the other half, in photos: a label of n photos may be taken at the label rate over n', () => {
  const t = thresholdsFor(cal, { faces: 1_000_000, labels: 10_000 }, loose);
  // The possible tier's rate for 700 photos (0.5 / 10,000 / 700) is below the large label's (0.01 / 10,000).
  for (const n of [1, 3, 40, 700]) {
    const tiers = labelTiers(t, n);
    // The strictest line up to n is size 1's below 50 photos and size 50's from there.
    const own = n >= 50 ? line(0.75) : line(0.8);
    // 10,000 labels of n photos, each taken at its rate, bring half the budget in stranger photos.
    assert.ok(close(10_000 * n * fmrAt(own, tiers.shown), STRANGERS.shown / 2), `shown, ${n} photos`);
    if (n <= LARGE_LABEL.photos || n >= 50) assert.ok(close(10_000 * n * fmrAt(own, tiers.possible), STRANGERS.possible / 2), `possible, ${n} photos`);
  }
  // Known value: a label of 1 photo, 0.8 + 0.1 × Φ⁻¹(0.5 / 10,000) = 0.8 − 0.1 × 3.8906 = 0.41094.
  assert.ok(Math.abs(labelTiers(t, 1).possible - 0.41094) < 1e-4, String(labelTiers(t, 1).possible));
  // Whatever the sizes, the labels' stranger photos are at most half of each budget: the expectation is the whole budget.
  assert.ok(close(t.expectedStrangers.shown, STRANGERS.shown) && close(t.expectedStrangers.possible, STRANGERS.possible));
  assert.deepEqual(
    t.label.map((r) => r.size),
    [1, 2, 3, 5, 10, 20, 50, 100, 1_000],
  );
  assert.deepEqual(t.label[2], { size: 3, ...labelTiers(t, 3) });
});

test('a request takes a stranger label of more than 3 photos at most once in 100 requests, in each tier', () => {
  const t = thresholdsFor(cal, { faces: 1_000_000, labels: 10_000 }, loose);
  // No genuine distances to weigh a stricter chance against: the loosest the rule allows.
  assert.deepEqual(t.largeLabel, { photos: 3, chance: LARGE_LABEL.loosest });
  assert.equal(LARGE_LABEL.loosest, 0.01);
  for (const n of [4, 6, 49, 50, 51, 400, 5_000]) {
    const own = n >= 50 ? line(0.75) : line(0.8);
    const chance = 10_000 * fmrAt(own, labelTiers(t, n).possible);
    // Held to the chance up to 50 photos; from there the budget in photos (0.5 / n) is the stricter.
    if (n <= 50) assert.ok(close(chance, t.largeLabel.chance), `${n} photos: ${chance}`);
    else assert.ok(close(chance, STRANGERS.possible / 2 / n), `${n} photos: ${chance}`);
  }
  // Known value: 0.8 + 0.1 × Φ⁻¹(0.01 / 10,000) = 0.8 − 0.1 × 4.7534 = 0.32466, from 4 to 49 photos.
  assert.ok(Math.abs(labelTiers(t, 4).possible - 0.32466) < 1e-4, String(labelTiers(t, 4).possible));
  assert.equal(labelTiers(t, 49).possible, labelTiers(t, 4).possible);
  // Up to 3 photos, the budget in photos alone: 0.5 / 10,000 / 3 (above the large label's 0.01 / 10,000).
  assert.ok(close(10_000 * 3 * fmrAt(line(0.8), labelTiers(t, 3).possible), STRANGERS.possible / 2));
});

test("the large-label chance is the rarest at which people's own labels of 5 photos still reach the possible tier 95 % of the time", () => {
  // 100 genuine template distances of 5-photo labels, 0.212 to 0.410 by 0.002: 5 % missed needs a threshold above the 95th, 0.400.
  const genuine = Array.from({ length: 100 }, (_, i) => (212 + 2 * i) / 1000);
  const withGenuine: LabelCalibration = { ...cal, sizes: cal.sizes.map((s) => (s.size === 5 ? { ...s, genuineDistances: genuine } : s)) };
  assert.deepEqual(LARGE_LABEL, { photos: 3, strictest: 0.001, loosest: 0.01, missAtMost: 0.05 });
  // 5 labels: even 1 in 1,000 leaves size 1's line at 0.8 + 0.1 × Φ⁻¹(0.001 / 5) = 0.4460, above 0.400.
  assert.deepEqual(thresholdsFor(withGenuine, { faces: 50, labels: 5 }, loose).largeLabel, { photos: 3, chance: 0.001 });
  // 1,000,000 labels: even 1 in 100 gives 0.8 + 0.1 × Φ⁻¹(1e-8) = 0.2355, missing most: the loosest.
  assert.deepEqual(thresholdsFor(withGenuine, { faces: 1e8, labels: 1e6 }, loose).largeLabel, { photos: 3, chance: 0.01 });
  // 100 labels: the threshold is 0.400 where the rate per label is Φ(−4) = 3.1671e-5, so the chance is 100 × that (known value).
  const t = thresholdsFor(withGenuine, { faces: 10_000, labels: 100 }, loose);
  assert.ok(Math.abs(t.largeLabel.chance - 0.0031671) < 1e-6, String(t.largeLabel.chance));
  // Read back: at that chance 5 of the 100 are missed; a hair rarer, 6.
  const missed = (chance: number) => {
    const possible = labelTiers(thresholdsFor(withGenuine, { faces: 10_000, labels: 100 }, loose, { photos: 3, chance }), 5).possible;
    return genuine.filter((d) => d >= possible).length;
  };
  assert.equal(missed(t.largeLabel.chance), 5);
  assert.equal(missed(t.largeLabel.chance * 0.999), 6);
  // A fixed rule (a bench comparing chances) is kept as given.
  assert.deepEqual(thresholdsFor(withGenuine, { faces: 50, labels: 5 }, loose, { photos: 3, chance: 0.01 }).largeLabel, { photos: 3, chance: 0.01 });
});

test('a larger label needs a nearer template, and never gets a looser line than a smaller one', () => {
  const t = thresholdsFor(cal, { faces: 1_000_000, labels: 10_000 }, loose);
  let last = { shown: Infinity, possible: Infinity };
  for (const n of [1, 2, 4, 5, 6, 49, 50, 51, 500, 5_000, 100_000]) {
    const tiers = labelTiers(t, n);
    // Equal where the large label's rate holds (4 to 49 photos in the possible tier; never in the shown one at this chance).
    assert.ok(tiers.shown <= last.shown && tiers.possible <= last.possible, `${n} photos: ${JSON.stringify(tiers)} against ${JSON.stringify(last)}`);
    last = tiers;
  }
  for (const [a, b] of [
    [1, 2],
    [2, 4],
    [50, 700],
    [700, 5_000],
  ]) {
    assert.ok(labelTiers(t, b).shown < labelTiers(t, a).shown && labelTiers(t, b).possible < labelTiers(t, a).possible, `${a} and ${b} photos`);
  }
  // Size 5's own line is looser than size 1's: at 5 photos size 1's line holds, at the rate for 5.
  assert.ok(close(labelTiers(t, 5).shown, thresholdAt(line(0.8), STRANGERS.shown / 2 / 10_000 / 5)));
});

test('more faces searched, stricter tiers; the calibrated tiers cap a small registry', () => {
  const small = thresholdsFor(cal, { faces: 2, labels: 1 }, { shown: 0.46, possible: 0.51 });
  assert.deepEqual(small.photo, { shown: 0.46, possible: 0.51 });
  assert.deepEqual(labelTiers(small, 1), { shown: 0.46, possible: 0.51 });
  assert.ok(small.expectedStrangers.possible < STRANGERS.possible, 'capped: fewer strangers than the budget');
  const sizes = [6_449, 1e5, 1e6, 1e7].map((faces) => thresholdsFor(cal, { faces, labels: faces / 100 }, loose));
  for (let i = 1; i < sizes.length; i++) {
    assert.ok(sizes[i].photo.shown < sizes[i - 1].photo.shown && sizes[i].label[0].possible < sizes[i - 1].label[0].possible);
  }
});
