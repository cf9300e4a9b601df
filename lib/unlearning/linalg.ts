/**
 * Small dense linear algebra in Float64 for the per-class D × D systems (D = d + 1 ≈ 129).
 * Matrices are row-major Float64Arrays.
 */
import { arena } from './kernels/row-kernel';

/** In-place Cholesky factorisation A = L Lᵀ (lower triangle of `a` overwritten with L). Returns false if A is not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  if (a.length < n * n) throw new RangeError(`matrix must hold ${n * n} values, got ${a.length}`);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b given the Cholesky factor in the lower triangle of `l`; writes x into `out`. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= l[ri + k] * out[k];
    out[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}

/**
 * Factors a symmetric positive-definite A = UᵀU in place so that A stays recoverable in O(n²):
 * U, with its diagonal, overwrites A's upper triangle; A's strict lower triangle is left as it is
 * and its diagonal is saved in `diag`. Reads A from its lower triangle and diagonal. Returns false,
 * with A restored, when A is not positive definite. A removal's further steps reuse the factor of
 * the same step matrix instead of factoring it again; `restoreSymmetric` puts A back.
 */
export function choleskyUpperInPlace(a: Float64Array, n: number, diag: Float64Array): boolean {
  if (a.length < n * n || diag.length < n) throw new RangeError(`matrix must hold ${n * n} values and diag ${n}`);
  for (let i = 0; i < n; i++) {
    diag[i] = a[i * n + i];
    for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
  }
  // Right-looking (row k of U, then the trailing upper triangle less its outer product), in the
  // WebAssembly kernel: at n = 129, 0.14 ms a factor against 0.65 ms for these loops in
  // JavaScript (bench/row-kernels.ts), with the same results (linalg.test.ts).
  const { kernel, at, f64 } = arena({ a: n * n * 8 });
  f64.set(a.subarray(0, n * n), at.a / 8);
  if (!kernel.choleskyUpper(at.a, n)) {
    restoreSymmetric(a, n, diag);
    return false;
  }
  a.set(f64.subarray(at.a / 8, at.a / 8 + n * n));
  return true;
}

/** Solves UᵀU x = b with U in the upper triangle of `u` (choleskyUpperInPlace); writes x into `out`. */
export function solveUpper(u: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) out[i] = b[i];
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const yk = out[k] / u[rk + k];
    out[k] = yk;
    for (let i = k + 1; i < n; i++) out[i] -= u[rk + i] * yk;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= u[ri + k] * out[k];
    out[i] = s / u[ri + i];
  }
  return out;
}

/** Undoes choleskyUpperInPlace: the upper triangle mirrors the lower again, the diagonal is A's. */
export function restoreSymmetric(a: Float64Array, n: number, diag: Float64Array): void {
  for (let i = 0; i < n; i++) {
    a[i * n + i] = diag[i];
    for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
  }
}

export function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < n; j++) s0 += a[ao + j] * b[bo + j];
  return s0 + s1 + s2 + s3;
}

export function norm2(a: ArrayLike<number>, offset = 0, n = a.length - offset): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[offset + i] * a[offset + i];
  return Math.sqrt(s);
}

/** Largest eigenvalue of a symmetric positive semi-definite matrix by power iteration (for ‖X‖₂² = λmax(XᵀX)). */
export function largestEigenvalue(a: Float64Array, n: number, iterations = 100): number {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let w = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) w[i] = dot(a, i * n, v, 0, n);
    const nw = norm2(w);
    if (nw === 0) return 0;
    for (let i = 0; i < n; i++) w[i] /= nw;
    const prev = lambda;
    lambda = nw;
    [v, w] = [w, v];
    if (Math.abs(lambda - prev) <= 1e-12 * lambda) break;
  }
  return lambda;
}
