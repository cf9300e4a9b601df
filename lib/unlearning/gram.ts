/**
 * Weighted Gram matrices Σ_r s_r x_r x_rᵀ over a list of rows, the cost centre of training
 * (n_k D² per class). Rows are taken in chunks, scaled by √s and transposed into a D × chunk panel,
 * and the upper triangle is accumulated in 2 × 4 register tiles of dot products over contiguous
 * panel rows; measured here about 4 times faster than rank-one updates row by row.
 */
const CHUNK = 256;

export type GramScratch = { panel: Float64Array; acc: Float64Array; dp: number };

export function gramScratch(d: number): GramScratch {
  const dp = (d + 3) & ~3;
  return { panel: new Float64Array(dp * CHUNK), acc: new Float64Array(dp * dp), dp };
}

/**
 * out (D × D, full symmetric) = Σ_r weight(r) x_r x_rᵀ (+ diag added by the caller), where
 * weight(r) comes from `weightOf(i)` for row i (values ≤ 0 skip the row).
 */
export function weightedGram(
  x: Float32Array,
  d: number,
  rows: ArrayLike<number>,
  weightOf: (i: number) => number,
  out: Float64Array,
  scratch: GramScratch = gramScratch(d),
): void {
  const { panel, acc, dp } = scratch;
  acc.fill(0);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const m = Math.min(CHUNK, rows.length - start);
    panel.fill(0);
    for (let r = 0; r < m; r++) {
      const i = rows[start + r];
      const w = weightOf(i);
      if (!(w > 0)) continue;
      const s = Math.sqrt(w);
      const xo = i * d;
      for (let j = 0; j < d; j++) panel[j * CHUNK + r] = s * x[xo + j];
    }
    accumulatePanel(panel, dp, m, acc);
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = acc[a * dp + b];
      out[a * d + b] = v;
      out[b * d + a] = v;
    }
  }
}

function accumulatePanel(p: Float64Array, dp: number, m: number, acc: Float64Array): void {
  for (let a = 0; a < dp; a += 2) {
    const pa = a * CHUNK;
    const pb = pa + CHUNK;
    for (let b = a & ~3; b < dp; b += 4) {
      const q0 = b * CHUNK;
      const q1 = q0 + CHUNK;
      const q2 = q1 + CHUNK;
      const q3 = q2 + CHUNK;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let r = 0; r < m; r++) {
        const u = p[pa + r];
        const v = p[pb + r];
        const t0 = p[q0 + r];
        const t1 = p[q1 + r];
        const t2 = p[q2 + r];
        const t3 = p[q3 + r];
        a0 += u * t0;
        a1 += u * t1;
        a2 += u * t2;
        a3 += u * t3;
        b0 += v * t0;
        b1 += v * t1;
        b2 += v * t2;
        b3 += v * t3;
      }
      const ra = a * dp + b;
      const rb = ra + dp;
      acc[ra] += a0;
      acc[ra + 1] += a1;
      acc[ra + 2] += a2;
      acc[ra + 3] += a3;
      acc[rb] += b0;
      acc[rb + 1] += b1;
      acc[rb + 2] += b2;
      acc[rb + 3] += b3;
    }
  }
}
