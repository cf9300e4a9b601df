import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng';
import { compileRowsWat } from './build-kernels';
import { arena, paddedWidth } from './row-kernel';
import { ROWS_WASM_BASE64 } from './rows-wasm';

test('the embedded kernels are what rows.wat compiles to (run npm run build:kernels after changing it)', async () => {
  const compiled = await compileRowsWat();
  assert.equal(Buffer.from(compiled).toString('base64'), ROWS_WASM_BASE64);
});

/** Plain float64 loops over the same float32 rows: the reference the kernels must agree with. */
function reference(x: Float32Array, d: number, rows: number[], w: Float64Array, c: Float64Array) {
  const z = rows.map((i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * w[j];
    return s;
  });
  const acc = new Float64Array(d);
  const squares = new Float64Array(d);
  rows.forEach((i, r) => {
    for (let j = 0; j < d; j++) {
      acc[j] += c[r] * x[i * d + j];
      squares[j] += c[r] * (x[i * d + j] * x[i * d + j]);
    }
  });
  return { z, acc, squares };
}

test('dots, axpy and axpySquares agree with float64 loops for any row count and width (tails and padding)', () => {
  const rng = new Rng(5);
  for (const d of [1, 4, 17, 129, 513]) {
    const dp = paddedWidth(d);
    const n = 40;
    const x = Float32Array.from({ length: n * d }, () => rng.normal());
    const w = Float64Array.from({ length: d }, () => rng.normal());
    for (const count of [0, 1, 2, 3, 4, 5, 7, 8, 9, 31]) {
      const rows = Array.from({ length: count }, () => Math.floor(rng.uniform() * n));
      const c = Float64Array.from({ length: count }, () => rng.normal());
      const { kernel, at, f32, f64, i32 } = arena({ x: n * dp * 4, w: dp * 8, acc: dp * 8, sq: dp * 8, rows: count * 4, z: count * 8, c: count * 8 });
      for (let i = 0; i < n; i++) f32.set(x.subarray(i * d, (i + 1) * d), at.x / 4 + i * dp);
      f64.set(w, at.w / 8);
      i32.set(rows, at.rows / 4);
      f64.set(c, at.c / 8);
      kernel.dots(at.x, dp, at.rows, count, at.w, at.z);
      kernel.axpy(at.x, dp, at.rows, count, at.c, at.acc);
      kernel.axpySquares(at.x, dp, at.rows, count, at.c, at.sq);
      const want = reference(x, d, rows, w, c);
      for (let r = 0; r < count; r++) {
        const got = f64[at.z / 8 + r];
        assert.ok(Math.abs(got - want.z[r]) <= 1e-12 * (1 + Math.abs(want.z[r])), `d ${d}, count ${count}, row ${r}: ${got} vs ${want.z[r]}`);
      }
      for (let j = 0; j < d; j++) {
        const got = f64[at.acc / 8 + j];
        assert.ok(Math.abs(got - want.acc[j]) <= 1e-12 * (1 + Math.abs(want.acc[j])), `d ${d}, count ${count}, column ${j}: ${got} vs ${want.acc[j]}`);
        const sq = f64[at.sq / 8 + j];
        assert.ok(
          Math.abs(sq - want.squares[j]) <= 1e-12 * (1 + Math.abs(want.squares[j])),
          `d ${d}, count ${count}, square ${j}: ${sq} vs ${want.squares[j]}`,
        );
      }
      // Nothing is written past the accumulator's padded width, nor past the listed rows' dot products.
      for (let j = d; j < dp; j++) assert.equal(f64[at.acc / 8 + j] + f64[at.sq / 8 + j], 0);
    }
  }
});

test('the kernels are deterministic: the same inputs give the same bits', () => {
  const rng = new Rng(9);
  const d = 129;
  const dp = paddedWidth(d);
  const x = Float32Array.from({ length: 16 * d }, () => rng.normal());
  const w = Float64Array.from({ length: d }, () => rng.normal());
  const run = () => {
    const { kernel, at, f32, f64, i32 } = arena({ x: 16 * dp * 4, w: dp * 8, rows: 16 * 4, z: 16 * 8 });
    for (let i = 0; i < 16; i++) f32.set(x.subarray(i * d, (i + 1) * d), at.x / 4 + i * dp);
    f64.set(w, at.w / 8);
    i32.set(
      Array.from({ length: 16 }, (_, i) => 15 - i),
      at.rows / 4,
    );
    kernel.dots(at.x, dp, at.rows, 16, at.w, at.z);
    return f64.slice(at.z / 8, at.z / 8 + 16);
  };
  assert.deepEqual(run(), run());
});
