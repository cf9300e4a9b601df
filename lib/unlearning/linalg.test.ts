import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cholesky, choleskySolve, choleskyUpperInPlace, restoreSymmetric, solveUpper } from './linalg';
import { Rng } from './rng';

/** A = GᵀG + I: symmetric positive definite, n × n. */
function spd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const g = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += g[k * n + i] * g[k * n + j];
  for (let i = 0; i < n; i++) a[i * n + i] += 1;
  return a;
}

test('the in-place factor solves A x = b as the plain Cholesky does, and A comes back bit for bit', () => {
  for (const n of [1, 2, 7, 40]) {
    const a = spd(n, n);
    const original = a.slice();
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const diag = new Float64Array(n);
    assert.ok(choleskyUpperInPlace(a, n, diag));
    const x = solveUpper(a, n, b, new Float64Array(n));
    // A x = b, with A the original matrix, to rounding.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += original[i * n + j] * x[j];
      assert.ok(Math.abs(s - b[i]) <= 1e-10 * (1 + Math.abs(b[i])), `n ${n}, row ${i}: ${s} vs ${b[i]}`);
    }
    const l = original.slice();
    assert.ok(cholesky(l, n));
    const y = choleskySolve(l, n, b, new Float64Array(n));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-10 * (1 + Math.abs(y[i])));
    // The strict lower triangle was never written.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(a[i * n + j], original[i * n + j]);
    restoreSymmetric(a, n, diag);
    assert.deepEqual(a, original);
  }
});

/** The right-looking loops of choleskyUpperInPlace, in plain JavaScript: the kernel must give the same bits. */
function referenceUpper(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
  for (let k = 0; k < n; k++) {
    const pivot = a[k * n + k];
    if (!(pivot > 0)) return false;
    const ukk = Math.sqrt(pivot);
    a[k * n + k] = ukk;
    for (let j = k + 1; j < n; j++) a[k * n + j] /= ukk;
    for (let i = k + 1; i < n; i++) {
      const u = a[k * n + i];
      if (u !== 0) for (let j = i; j < n; j++) a[i * n + j] -= u * a[k * n + j];
    }
  }
  return true;
}

test('the WebAssembly factor is bit for bit the plain loops', () => {
  for (const n of [1, 2, 3, 8, 129]) {
    const a = spd(n, 40 + n);
    const want = a.slice();
    assert.ok(referenceUpper(want, n));
    assert.ok(choleskyUpperInPlace(a, n, new Float64Array(n)));
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) assert.equal(a[i * n + j], want[i * n + j], `n ${n}: U[${i}][${j}]`);
  }
});

test('a matrix that is not positive definite is refused and left as it was', () => {
  const n = 5;
  const a = spd(n, 3);
  a[3 * n + 3] = -1;
  const original = a.slice();
  assert.equal(choleskyUpperInPlace(a, n, new Float64Array(n)), false);
  assert.deepEqual(a, original);
});
