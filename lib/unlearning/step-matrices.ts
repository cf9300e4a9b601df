/**
 * Whether a model keeps its per-class step matrices (issue 18, part 2). The cache of K Hessians,
 * D × D float64 each, lets a removal's Newton step be a downdate by the removed rows and a Cholesky
 * solve per class, but it grows as K·D²: 133 MB at K = 1,000, d = 128; 4.2 GB at K = 2,000,
 * d = 512; 21 GB at K = 10,000, d = 512. Without it, removals take their Newton steps by conjugate
 * gradients on Hessian-vector products (newton-cg.ts) and training is truncated Newton
 * (fit-classes-cg.ts): memory O(n·D + K·D).
 *
 * The cache is kept only where it fits the memory budget and is the faster way, to remove with and
 * to train with (TRAINING_RATIO_LIMIT). Its step costs a
 * Cholesky factorisation, about D³/3 multiply-adds per class; a step by conjugate gradients costs
 * about CG_PRODUCTS_PER_STEP products of 2·n_k·D each (n_k the class's rows). Measured
 * (bench/README.md, "Removal without step matrices"): at d = 512 and 420 rows per class the
 * conjugate gradients removed an identity 5 times faster than the cache (2.6 s against 14.0 s,
 * 300 MB against 1.9 GB); at d = 128 and 930 rows per class the two took the same time.
 */

/** Hessian-vector products a class's step took on average in the measured runs (6 to 10): the cost model's figure. */
export const CG_PRODUCTS_PER_STEP = 10;

/**
 * Training with the cache forms each class's Hessian at every Newton iteration, about n_k·D²/2
 * multiply-adds, where truncated Newton takes about CG_PRODUCTS_PER_STEP products of 2·n_k·D: a
 * ratio of D / 40 whatever n_k. The cache is kept only while that ratio is at most this limit
 * (D ≤ 160). Measured (bench/README.md): at D = 129 (ratio 3.2) the two trained in the same time;
 * at D = 513 with 6,060 rows per class (ratio 12.8, where the removal step alone favoured the
 * cache) training with the cache took 669 s, by conjugate gradients about a twentieth of it.
 */
export const TRAINING_RATIO_LIMIT = 4;

/** The default budget: the cache for 100,000 × 1,000 at d = 128 (133 MB) fits many times; d = 512 at K = 2,000 does not. */
export const DEFAULT_STEP_MATRIX_BUDGET_BYTES = 2 * 1024 ** 3;

export type StepMatrices = {
  /** `cached`: K Hessians kept with the model; `conjugate-gradient`: none kept, steps by Hessian-vector products. */
  method: 'cached' | 'conjugate-gradient';
  /** Why: the cache fits and is the faster way, it would exceed the budget, it would be slower, or the caller chose (comparisons). */
  reason: 'fits-and-faster' | 'over-budget' | 'slower' | 'chosen';
  /** What the cache takes (or would take), and the budget it was held against. */
  bytes: number;
  budgetBytes: number;
};

export function stepMatrixBytes(K: number, D: number): number {
  return K * D * D * 8;
}

/** The choice for K classes of D coordinates with about `rowsPerClass` rows each; `force` overrides it (benchmarks and tests that compare the two). */
export function chooseStepMatrices(
  K: number,
  D: number,
  rowsPerClass: number,
  budgetBytes = DEFAULT_STEP_MATRIX_BUDGET_BYTES,
  force?: StepMatrices['method'],
): StepMatrices {
  if (!(budgetBytes >= 0)) throw new RangeError(`the step-matrix budget must be a number of bytes ≥ 0, got ${budgetBytes}`);
  const bytes = stepMatrixBytes(K, D);
  const choice = (method: StepMatrices['method'], reason: StepMatrices['reason']) => ({ method, reason, bytes, budgetBytes });
  if (force) return choice(force, 'chosen');
  if (bytes > budgetBytes) return choice('conjugate-gradient', 'over-budget');
  const product = 2 * rowsPerClass * D;
  if ((D * D * D) / 3 > CG_PRODUCTS_PER_STEP * product) return choice('conjugate-gradient', 'slower');
  if ((rowsPerClass * D * D) / 2 > TRAINING_RATIO_LIMIT * CG_PRODUCTS_PER_STEP * product) return choice('conjugate-gradient', 'slower');
  return choice('cached', 'fits-and-faster');
}

/** Values in one class's lower triangle, diagonal included: D(D + 1)/2. */
export function lowerTriangleLength(D: number): number {
  return (D * (D + 1)) / 2;
}

/**
 * The step matrices as stored (model format version 4): each class's lower triangle, row by row
 * (row a holds columns 0 … a), K × D(D + 1)/2 float64. The matrices are exactly symmetric (the
 * downdate mirrors its lower triangle, logistic.ts; a factored step is restored before the model is
 * kept, remove.ts), so the lower triangle holds all of them: half the bytes to hash, write, fsync
 * and read back for every version (67 of 133 MB at K = 1,000, d = 128).
 */
export function packLowerTriangles(h: Float64Array, K: number, D: number): Float64Array {
  if (h.length !== K * D * D) throw new RangeError(`${h.length} values are not ${K} matrices of ${D} × ${D}`);
  const T = lowerTriangleLength(D);
  const out = new Float64Array(K * T);
  for (let k = 0; k < K; k++) {
    let o = k * T;
    for (let a = 0; a < D; a++) {
      const row = k * D * D + a * D;
      out.set(h.subarray(row, row + a + 1), o);
      o += a + 1;
    }
  }
  return out;
}

/** The full symmetric matrices from their packed lower triangles, into `out` (K × D × D, in the engine's shared memory). */
export function unpackLowerTriangles(packed: Float64Array, K: number, D: number, out: Float64Array): Float64Array {
  const T = lowerTriangleLength(D);
  if (packed.length !== K * T || out.length !== K * D * D) throw new RangeError(`the packed step matrices hold ${packed.length} values, expected ${K * T}`);
  for (let k = 0; k < K; k++) {
    const base = k * D * D;
    let o = k * T;
    for (let a = 0; a < D; a++) {
      out.set(packed.subarray(o, o + a + 1), base + a * D);
      for (let b = 0; b < a; b++) out[base + b * D + a] = packed[o + b];
      o += a + 1;
    }
  }
  return out;
}
