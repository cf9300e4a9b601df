import { allRows, classRows } from './class-rows';
import { cholesky, choleskySolve, norm2 } from './linalg';
import { addRowGradients, classHessian, downdateHessian, residualPass, type ClassData } from './logistic';

/** What removing from one class reads and writes (shared arrays: the new model's arrays are written in place). */
export type RemovalArrays = {
  D: number;
  lambda: number;
  subsample: number;
  oldX: Float64Array;
  oldLabel: Int32Array;
  oldWeights: Float64Array;
  newX: Float64Array;
  newLabel: Int32Array;
  newHashes: Uint32Array;
  newWeights: Float64Array;
  newNoise: Float64Array;
  newHessians: Float64Array;
  newResidual: Float64Array;
  /** ‖X'‖₂ of the remaining data, for the paper's bound. */
  normX: number;
};

export type TouchedClass = {
  k: number;
  k2: number;
  key: number;
  removedRows: Int32Array;
  /** The class's remaining rows (new indices), when the caller has them cached; otherwise derived here. */
  rows?: Int32Array;
};

export type ClassRemoval = { steps: number; paperTerm: number; residualSeconds: number; rebuiltHessian: boolean };

/**
 * The removal mechanism for one touched class (UNLEARNING.md): the exact residual of the unchanged
 * weights on the remaining rows (u_old − Σ_R ∇ℓ − λ m w), one Newton step with the cached Hessian
 * downdated by the removed rows, the exact residual recomputed over the class's remaining rows,
 * and further steps with the same factor while it is above `aim`. Writes the new weights,
 * step matrix and residual of class k2 in place.
 */
export function removeFromClass(a: RemovalArrays, t: TouchedClass, opts: { aim: number; maxSteps: number }): ClassRemoval {
  const { D, lambda } = a;
  const wo = t.k * D;
  const w2o = t.k2 * D;
  const u = a.newResidual.subarray(w2o, w2o + D);
  const removedGrad = new Float64Array(D);
  addRowGradients({ x: a.oldX, d: D, label: a.oldLabel, rows: t.removedRows, k: t.k }, t.removedRows, a.oldWeights, wo, removedGrad, 0);
  const m = t.removedRows.length;
  for (let j = 0; j < D; j++) u[j] = u[j] - removedGrad[j] - lambda * m * a.oldWeights[wo + j];
  const h = a.newHessians.subarray(t.k2 * D * D, (t.k2 + 1) * D * D);
  downdateHessian(h, a.oldX, D, t.removedRows, a.oldWeights, wo, lambda);
  const rows = t.rows ?? classRows(a.newLabel, a.newHashes, t.k2, t.key, a.subsample, a.subsample >= 1 ? allRows(a.newLabel.length) : undefined);
  const data: ClassData = { x: a.newX, d: D, label: a.newLabel, rows, k: t.k2 };
  let l = Float64Array.from(h);
  let rebuiltHessian = false;
  if (!cholesky(l, D)) {
    classHessian(data, a.newWeights, w2o, lambda, h);
    l = Float64Array.from(h);
    rebuiltHessian = true;
    if (!cholesky(l, D)) throw new Error(`class ${t.k2}: step matrix not positive definite`);
  }
  const v = new Float64Array(D);
  let steps = 0;
  let paperTerm = 0;
  let residualSeconds = 0;
  while (steps < opts.maxSteps && (steps === 0 || norm2(u) > opts.aim)) {
    choleskySolve(l, D, u, v);
    for (let j = 0; j < D; j++) a.newWeights[w2o + j] -= v[j];
    const tr = performance.now();
    // With the first step, Guo et al.'s one-step bound ¼ ‖X'‖₂ ‖H⁻¹Δ‖ ‖X' H⁻¹Δ‖ as a reference figure.
    const xv = residualPass(data, a.newWeights, w2o, lambda, a.newNoise, w2o, a.newResidual, w2o, steps === 0 ? v : undefined);
    if (steps === 0) paperTerm = 0.25 * a.normX * norm2(v) * Math.sqrt(xv);
    residualSeconds += (performance.now() - tr) / 1000;
    steps++;
  }
  return { steps, paperTerm, residualSeconds, rebuiltHessian };
}
