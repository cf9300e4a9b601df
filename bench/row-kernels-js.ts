/**
 * The JavaScript loops that the WebAssembly row kernels replaced, kept for bench/row-kernels.ts to
 * time against: the residual sweep (residual-sweep.ts at 73ef957), the four-classes-at-a-time scores
 * (predict.ts at 73ef957) and the step matrix's right-looking factor (linalg.ts before 9a93df5).
 */
import { rowDot, sigmoid } from '@/lib/unlearning/logistic';

type SweepClass = {
  /** Class index, as in the label array. */
  k: number;
  /** The class's rows, ascending (any order gives the same sums; ascending keeps each chunk's reads together). */
  rows: Int32Array;
  /** Offset of the class's weights in `w`, noise in `b` and residual in `out`. */
  offset: number;
  /** When given, ‖X_k v‖² is returned for the class too (the paper's one-step bound), from the same reads. */
  v?: Float64Array;
};

/** Rows per chunk: 256 rows of 129 float32 (132 KB; 1 MB at d = 1,024) stay in a 1 MB L2 cache beside the classes' vectors. */
const CHUNK_ROWS = 256;

/**
 * Writes each listed class's exact residual into out[offset..offset+D) and returns ‖X_k v‖² per
 * class (0 without v). Each class keeps a cursor into its row list and takes the rows below the
 * chunk's end; the last chunk takes whatever is left, so every row is summed exactly once.
 */
export function residualSweepJs(
  x: Float32Array,
  d: number,
  label: Int32Array,
  classes: SweepClass[],
  w: Float64Array,
  lambda: number,
  b: Float64Array,
  out: Float64Array,
): Float64Array {
  const C = classes.length;
  const acc = new Float64Array(C * d);
  const xv = new Float64Array(C);
  const cursor = new Int32Array(C);
  const n = label.length;
  for (let c0 = 0; c0 < n; c0 += CHUNK_ROWS) {
    const c1 = c0 + CHUNK_ROWS;
    for (let c = 0; c < C; c++) {
      const cls = classes[c];
      const rows = cls.rows;
      const from = cursor[c];
      let to = from;
      while (to < rows.length && rows[to] < c1) to++;
      if (to > from) xv[c] += accumulateRows(x, d, label, cls.k, rows, from, to, w, cls.offset, acc, c * d, cls.v);
      cursor[c] = to;
    }
  }
  for (let c = 0; c < C; c++) {
    const { offset, rows } = classes[c];
    const lam = lambda * rows.length;
    for (let j = 0; j < d; j++) out[offset + j] = acc[c * d + j] + lam * w[offset + j] + b[offset + j];
  }
  return xv;
}

/**
 * Adds Σ −y σ(−y z_i) x_i over rows[from..to) into acc[ao..ao+d). Rows go in blocks of four so
 * that four dot products share one pass over w; with v, also returns Σ (x_i·v)².
 */
function accumulateRows(
  x: Float32Array,
  d: number,
  label: Int32Array,
  k: number,
  rows: Int32Array,
  from: number,
  to: number,
  w: Float64Array,
  wo: number,
  acc: Float64Array,
  ao: number,
  v: Float64Array | undefined,
): number {
  let xv = 0;
  let r = from;
  for (; r + 3 < to; r += 4) {
    const i0 = rows[r];
    const i1 = rows[r + 1];
    const i2 = rows[r + 2];
    const i3 = rows[r + 3];
    const o0 = i0 * d;
    const o1 = i1 * d;
    const o2 = i2 * d;
    const o3 = i3 * d;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    if (v) {
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      for (let j = 0; j < d; j++) {
        const wj = w[wo + j];
        const vj = v[j];
        const a0 = x[o0 + j];
        const a1 = x[o1 + j];
        const a2 = x[o2 + j];
        const a3 = x[o3 + j];
        z0 += a0 * wj;
        z1 += a1 * wj;
        z2 += a2 * wj;
        z3 += a3 * wj;
        q0 += a0 * vj;
        q1 += a1 * vj;
        q2 += a2 * vj;
        q3 += a3 * vj;
      }
      xv += q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3;
    } else {
      for (let j = 0; j < d; j++) {
        const wj = w[wo + j];
        z0 += x[o0 + j] * wj;
        z1 += x[o1 + j] * wj;
        z2 += x[o2 + j] * wj;
        z3 += x[o3 + j] * wj;
      }
    }
    const y0 = label[i0] === k ? 1 : -1;
    const y1 = label[i1] === k ? 1 : -1;
    const y2 = label[i2] === k ? 1 : -1;
    const y3 = label[i3] === k ? 1 : -1;
    const c0 = -y0 * sigmoid(-y0 * z0);
    const c1 = -y1 * sigmoid(-y1 * z1);
    const c2 = -y2 * sigmoid(-y2 * z2);
    const c3 = -y3 * sigmoid(-y3 * z3);
    for (let j = 0; j < d; j++) acc[ao + j] += c0 * x[o0 + j] + c1 * x[o1 + j] + c2 * x[o2 + j] + c3 * x[o3 + j];
  }
  for (; r < to; r++) {
    const i = rows[r];
    const o = i * d;
    let z = 0;
    let q = 0;
    for (let j = 0; j < d; j++) z += x[o + j] * w[wo + j];
    if (v) {
      for (let j = 0; j < d; j++) q += x[o + j] * v[j];
      xv += q * q;
    }
    const y = label[i] === k ? 1 : -1;
    const c = -y * sigmoid(-y * z);
    for (let j = 0; j < d; j++) acc[ao + j] += c * x[o + j];
  }
  return xv;
}
function scoreRow(x: Float32Array, xo: number, w: Float64Array, K: number, D: number, z: Float64Array, zo: number): void {
  let k = 0;
  for (; k + 3 < K; k += 4) {
    const w0 = k * D;
    const w1 = w0 + D;
    const w2 = w1 + D;
    const w3 = w2 + D;
    let a0 = 0;
    let b0 = 0;
    let a1 = 0;
    let b1 = 0;
    let a2 = 0;
    let b2 = 0;
    let a3 = 0;
    let b3 = 0;
    let j = 0;
    for (; j + 1 < D; j += 2) {
      const u = x[xo + j];
      const v = x[xo + j + 1];
      a0 += u * w[w0 + j];
      b0 += v * w[w0 + j + 1];
      a1 += u * w[w1 + j];
      b1 += v * w[w1 + j + 1];
      a2 += u * w[w2 + j];
      b2 += v * w[w2 + j + 1];
      a3 += u * w[w3 + j];
      b3 += v * w[w3 + j + 1];
    }
    if (j < D) {
      const u = x[xo + j];
      a0 += u * w[w0 + j];
      a1 += u * w[w1 + j];
      a2 += u * w[w2 + j];
      a3 += u * w[w3 + j];
    }
    z[zo + k] = a0 + b0;
    z[zo + k + 1] = a1 + b1;
    z[zo + k + 2] = a2 + b2;
    z[zo + k + 3] = a3 + b3;
  }
  for (; k < K; k++) z[zo + k] = rowDot(x, xo, w, k * D, D);
}

/** Every row against every class, four classes at a time (predict.ts's scores before the kernels). */
export function scoresJs(x: Float32Array, D: number, n: number, w: Float64Array, K: number, z: Float64Array): void {
  for (let i = 0; i < n; i++) scoreRow(x, i * D, w, K, D, z, i * K);
}

/** The right-looking factor's loops (A = UᵀU over the upper triangle), as choleskyUpperInPlace ran them in JavaScript. */
export function factorJs(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const ukk = Math.sqrt(a[rk + k]);
    a[rk + k] = ukk;
    for (let j = k + 1; j < n; j++) a[rk + j] /= ukk;
    for (let i = k + 1; i < n; i++) {
      const u = a[rk + i];
      if (u === 0) continue;
      const ri = i * n;
      for (let j = i; j < n; j++) a[ri + j] -= u * a[rk + j];
    }
  }
}
