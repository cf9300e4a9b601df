import { arena, paddedWidth } from './row-kernel';

/** Rows scored per chunk (copied into the kernel's memory; 33 KB at d = 128). */
const CHUNK_ROWS = 64;

/** Kernel memory for the classes' weights in one pass: more classes are scored in several passes. */
const CLASS_BYTES = 64 * 2 ** 20;

/**
 * z[i·K + k] = x_i · w_k for every row i < n and class k < K (rows of D float32, weights of D
 * float64, sums in float64), by the row kernels (rows.wat). A head of K = 1,000, d = 128 on 10,000
 * rows: 1.0 s with JavaScript loops on this 2-core machine, 0.3 s here (bench/README.md).
 */
export function scoreRows(x: Float32Array, D: number, n: number, w: Float64Array, K: number, z: Float64Array, opts: { classBytes?: number } = {}): void {
  const dp = paddedWidth(D);
  const perPass = Math.max(1, Math.floor((opts.classBytes ?? CLASS_BYTES) / (dp * 8)));
  for (let k0 = 0; k0 < K; k0 += perPass) {
    const C = Math.min(K, k0 + perPass) - k0;
    const { kernel, at, f32, f64, i32 } = arena({ x: CHUNK_ROWS * dp * 4, w: C * dp * 8, rows: CHUNK_ROWS * 4, z: CHUNK_ROWS * 8 });
    for (let c = 0; c < C; c++) f64.set(w.subarray((k0 + c) * D, (k0 + c + 1) * D), at.w / 8 + c * dp);
    for (let r = 0; r < CHUNK_ROWS; r++) i32[at.rows / 4 + r] = r;
    const zAt = at.z / 8;
    for (let i0 = 0; i0 < n; i0 += CHUNK_ROWS) {
      const count = Math.min(n, i0 + CHUNK_ROWS) - i0;
      for (let r = 0; r < count; r++) f32.set(x.subarray((i0 + r) * D, (i0 + r + 1) * D), at.x / 4 + r * dp);
      for (let c = 0; c < C; c++) {
        kernel.dots(at.x, dp, at.rows, count, at.w + c * dp * 8, at.z);
        for (let r = 0; r < count; r++) z[(i0 + r) * K + k0 + c] = f64[zAt + r];
      }
    }
  }
}
