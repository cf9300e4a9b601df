import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelTiers, STRANGERS, thresholdsFor, type LabelCalibration } from './registry-thresholds';
import { fmrAt } from './tail-fit';

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

test("each comparison gets half of each tier's stranger budget over the number of comparisons", () => {
  const t = thresholdsFor(cal, { faces: 1_000_000, labels: 10_000 }, loose);
  // Read back through the line: faces × rate at the photo threshold is half the budget.
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * b;
  assert.ok(close(1_000_000 * fmrAt(line(0.8), t.photo.shown), STRANGERS.shown / 2));
  assert.ok(close(1_000_000 * fmrAt(line(0.8), t.photo.possible), STRANGERS.possible / 2));
  assert.ok(close(10_000 * fmrAt(line(0.8), labelTiers(t, 1).shown), STRANGERS.shown / 2));
  assert.ok(close(t.expectedStrangers.shown, STRANGERS.shown) && close(t.expectedStrangers.possible, STRANGERS.possible));
  assert.equal(t.extrapolated, true, '5e-9 is below the 2.5e-5 the data could count');
  // Known value: 0.8 + 0.1 × Φ⁻¹(5e-9) = 0.8 − 0.1 × 5.7307 = 0.2269.
  assert.ok(Math.abs(t.photo.shown - 0.22693) < 1e-4, String(t.photo.shown));
});

test('a label uses the strictest line of every calibrated size up to its own, and never a looser one than smaller labels', () => {
  const t = thresholdsFor(cal, { faces: 1_000_000, labels: 10_000 }, loose);
  const [one, five, fifty] = [1, 5, 50].map((n) => labelTiers(t, n));
  assert.equal(five.shown, one.shown, "size 5's own line is looser: size 1's holds");
  assert.ok(fifty.shown < one.shown, "size 50's line is stricter and is used from 50 photos up");
  assert.deepEqual(labelTiers(t, 3), one);
  assert.deepEqual(labelTiers(t, 4000), fifty);
});

test('more faces searched, stricter tiers; the calibrated tiers cap a small registry', () => {
  const small = thresholdsFor(cal, { faces: 2, labels: 1 }, { shown: 0.46, possible: 0.51 });
  assert.deepEqual(small.photo, { shown: 0.46, possible: 0.51 });
  assert.ok(small.expectedStrangers.possible < STRANGERS.possible, 'capped: fewer strangers than the budget');
  const sizes = [6_449, 1e5, 1e6, 1e7].map((faces) => thresholdsFor(cal, { faces, labels: faces / 100 }, loose));
  for (let i = 1; i < sizes.length; i++) {
    assert.ok(sizes[i].photo.shown < sizes[i - 1].photo.shown && sizes[i].label[0].possible < sizes[i - 1].label[0].possible);
  }
});
