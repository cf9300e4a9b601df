import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowDot } from './logistic';
import { scoreRows } from './kernels/score-rows';
import { scores } from './predict';
import { prepareSamples } from './dataset';

test('scores, by the row kernels, agree with one rowDot per class to rounding, for any K and d, in one pass or several', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (const [K, d, n] of [
    [1, 3, 2],
    [4, 128, 5],
    [7, 127, 3],
    [10, 2, 4],
    [5, 20, 600],
  ]) {
    const weights = Float64Array.from({ length: K * (d + 1) }, rand);
    const center = Float64Array.from({ length: d }, rand);
    const samples = { ids: Array.from({ length: n }, (_, i) => `s${i}`), labels: Array(n).fill('a'), x: Float64Array.from({ length: n * d }, rand), d };
    const head = { classes: Array.from({ length: K }, (_, k) => `c${k}`), weights, center, d };
    const z = scores(head, samples);
    const { x } = prepareSamples(samples, center);
    // Weights of three classes per pass: up to four passes over the rows.
    const passes = new Float64Array(n * K);
    scoreRows(x, d + 1, n, weights, K, passes, { classBytes: 3 * 8 * (d + 4) });
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const want = rowDot(x, i * (d + 1), weights, k * (d + 1), d + 1);
        assert.ok(Math.abs(z[i * K + k] - want) <= 1e-12 * (1 + Math.abs(want)), `K=${K} d=${d} i=${i} k=${k}: ${z[i * K + k]} vs ${want}`);
        assert.equal(passes[i * K + k], z[i * K + k]);
      }
    }
  }
});
