import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowDot } from './logistic';
import { scores } from './predict';
import { prepareSamples } from './dataset';

test('scores, four classes at a time, are bit-identical to one rowDot per class, for any K and d', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (const [K, d, n] of [
    [1, 3, 2],
    [4, 128, 5],
    [7, 127, 3],
    [10, 2, 4],
  ]) {
    const weights = Float64Array.from({ length: K * (d + 1) }, rand);
    const center = Float64Array.from({ length: d }, rand);
    const samples = { ids: Array.from({ length: n }, (_, i) => `s${i}`), labels: Array(n).fill('a'), x: Float64Array.from({ length: n * d }, rand), d };
    const head = { classes: Array.from({ length: K }, (_, k) => `c${k}`), weights, center, d };
    const z = scores(head, samples);
    const { x } = prepareSamples(samples, center);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < K; k++) assert.equal(z[i * K + k], rowDot(x, i * (d + 1), weights, k * (d + 1), d + 1), `K=${K} d=${d} i=${i} k=${k}`);
  }
});
