/**
 * One class of the one-vs-rest head (docs/unlearning.md): for class k with weights w ∈ R^D,
 *   L_k(w) = Σ_{i∈S_k} ℓ(y_ik wᵀx_i) + (λ n_k / 2)‖w‖² + b_kᵀw,   ℓ(z) = log(1 + e^(−z)),
 * with y_ik = +1 if sample i is identity k, else −1, S_k the class's samples (all, or its positives
 * and a fixed subsample of negatives) and n_k = |S_k|. X is row-major n × D with ‖x_i‖ ≤ 1.
 * These kernels evaluate the objective, its gradient and Hessian over a list of rows.
 */
import { weightedGram, type GramScratch } from './gram';

export type ClassData = {
  /** n × D features, row-major. */
  x: Float32Array;
  d: number;
  /** Class index of each row. */
  label: Int32Array;
  /** The rows of S_k. */
  rows: Int32Array;
  k: number;
};

/** log(1 + e^(−z)) without overflow. */
export function logLoss(z: number): number {
  return z >= 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}

/** The logistic sigmoid 1 / (1 + e^(−z)), stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function rowDot(x: Float32Array, o: number, w: ArrayLike<number>, wo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    s0 += x[o + j] * w[wo + j];
    s1 += x[o + j + 1] * w[wo + j + 1];
  }
  if (j < d) s0 += x[o + j] * w[wo + j];
  return s0 + s1;
}

export function classObjective(c: ClassData, w: ArrayLike<number>, wo: number, lambda: number, b: ArrayLike<number>, bo: number): number {
  const { x, d, label, rows, k } = c;
  let loss = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const y = label[i] === k ? 1 : -1;
    loss += logLoss(y * rowDot(x, i * d, w, wo, d));
  }
  let ww = 0;
  let bw = 0;
  for (let j = 0; j < d; j++) {
    ww += w[wo + j] * w[wo + j];
    bw += b[bo + j] * w[wo + j];
  }
  return loss + 0.5 * lambda * rows.length * ww + bw;
}

/**
 * Gradient Σ −y σ(−y z) x_i + λ n_k w + b into out[oo..oo+D). Also returns the loss sum, which
 * the line search uses (computed in the same pass).
 */
export function classGradient(
  c: ClassData,
  w: ArrayLike<number>,
  wo: number,
  lambda: number,
  b: ArrayLike<number>,
  bo: number,
  out: Float64Array,
  oo: number,
): number {
  const { x, d, label, rows, k } = c;
  const lam = lambda * rows.length;
  for (let j = 0; j < d; j++) out[oo + j] = lam * w[wo + j] + b[bo + j];
  let loss = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const xo = i * d;
    const y = label[i] === k ? 1 : -1;
    const yz = y * rowDot(x, xo, w, wo, d);
    loss += logLoss(yz);
    const coef = -y * sigmoid(-yz);
    if (coef === 0) continue;
    for (let j = 0; j < d; j++) out[oo + j] += coef * x[xo + j];
  }
  return loss;
}

/** Hessian Σ s_i x_i x_iᵀ + λ n_k I, s_i = p_i (1 − p_i), into the D × D row-major `out` (full, symmetric). */
export function classHessian(c: ClassData, w: ArrayLike<number>, wo: number, lambda: number, out: Float64Array, scratch?: GramScratch): void {
  const { x, d, rows } = c;
  weightedGram(
    x,
    d,
    rows,
    (i) => {
      const p = sigmoid(rowDot(x, i * d, w, wo, d));
      return p * (1 - p);
    },
    out,
    scratch,
  );
  const lam = lambda * rows.length;
  for (let a = 0; a < d; a++) out[a * d + a] += lam;
}

/**
 * Subtracts the removed rows' terms from a Hessian (the cached step matrix): s_j x_j x_jᵀ at the
 * given weights, and λ per removed row from the diagonal (n_k shrinks).
 */
export function downdateHessian(
  h: Float64Array,
  x: Float32Array,
  d: number,
  removedRows: ArrayLike<number>,
  w: ArrayLike<number>,
  wo: number,
  lambda: number,
): void {
  for (let r = 0; r < removedRows.length; r++) {
    const xo = removedRows[r] * d;
    const p = sigmoid(rowDot(x, xo, w, wo, d));
    const s = p * (1 - p);
    for (let a = 0; a < d; a++) {
      const sa = s * x[xo + a];
      const ro = a * d;
      for (let bIdx = 0; bIdx <= a; bIdx++) h[ro + bIdx] -= sa * x[xo + bIdx];
    }
  }
  // The lower triangle, mirrored: the matrix stays exactly symmetric (a step may factor it in place, linalg.ts).
  for (let a = 0; a < d; a++) {
    h[a * d + a] -= lambda * removedRows.length;
    for (let bIdx = 0; bIdx < a; bIdx++) h[bIdx * d + a] = h[a * d + bIdx];
  }
}

/** Σ over `rows` of the per-row loss gradient (without regulariser or noise), added into out. */
export function addRowGradients(c: ClassData, rows: ArrayLike<number>, w: ArrayLike<number>, wo: number, out: Float64Array, oo: number): void {
  const { x, d, label, k } = c;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const xo = i * d;
    const y = label[i] === k ? 1 : -1;
    const coef = -y * sigmoid(-y * rowDot(x, xo, w, wo, d));
    for (let j = 0; j < d; j++) out[oo + j] += coef * x[xo + j];
  }
}

export { rowDot };
