import assert from 'node:assert/strict';
import { test } from 'node:test';
import quantile from '@stdlib/stats-base-dists-normal-quantile';
import { fitLowerTail, fmrAt, thresholdAt } from './tail-fit';

/** n draws of N(mean, sd) (Box-Muller over a seeded mulberry32), in `groups` groups of equal size. */
function normalSample(n: number, mean: number, sd: number, groups: number) {
  let s = 12345;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = mean + sd * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  return { scores, groups: Int32Array.from({ length: n }, (_, i) => i % groups) };
}

test('on normal data the fit finds the known line and carries it far below what the data can count', () => {
  const { scores, groups } = normalSample(200_000, 0.9, 0.08, 500);
  const fit = fitLowerTail(scores, groups, { minCount: 25, bootstrap: 100, seed: 1 });
  assert.ok(Math.abs(fit.slope - 0.08) < 0.006, `slope ${fit.slope}`);
  assert.ok(Math.abs(fit.intercept - 0.9) < 0.01, `intercept ${fit.intercept}`);
  // 1e-9 is 5,000 times below the rarest event in 200,000 draws: the true quantile is 0.9 − 6.0 × 0.08.
  const truth = 0.9 + 0.08 * quantile(1e-9, 0, 1);
  assert.ok(Math.abs(thresholdAt(fit, 1e-9) - truth) < 0.03, `threshold ${thresholdAt(fit, 1e-9)} against ${truth}`);
  // The conservative line is stricter (lower) than the fit at every rate the product asks for.
  for (const fmr of [1e-2, 1e-4, 1e-6, 1e-9]) assert.ok(thresholdAt(fit.conservative, fmr) <= thresholdAt(fit, fmr), `at ${fmr}`);
  assert.ok(Math.abs(fmrAt(fit, thresholdAt(fit, 1e-7)) - 1e-7) < 1e-12, 'fmrAt inverts thresholdAt');
  // The checks compare the fit with the counts: on normal data they agree.
  for (const c of fit.checks) assert.ok(Math.abs(c.predictedByFit - c.observed) <= Math.max(12, 0.25 * c.observed), JSON.stringify(c));
});

test('the fit is deterministic for a seed, and refuses data too few for a tail', () => {
  const { scores, groups } = normalSample(20_000, 0.8, 0.1, 100);
  const a = fitLowerTail(scores, groups, { minCount: 25, bootstrap: 50, seed: 3 });
  const b = fitLowerTail(scores, groups, { minCount: 25, bootstrap: 50, seed: 3 });
  assert.deepEqual(a, b);
  assert.throws(() => fitLowerTail(scores.subarray(0, 400), groups.subarray(0, 400), { minCount: 25, bootstrap: 10, seed: 3 }), RangeError);
});
