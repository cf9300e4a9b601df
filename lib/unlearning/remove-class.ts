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

export type StepOutcome = { k2: number; residualNorm: number; residualSeconds: number; paperTerm: number; rebuiltHessian: boolean };

function classData(a: RemovalArrays, t: TouchedClass): ClassData {
  const rows = t.rows ?? classRows(a.newLabel, a.newHashes, t.k2, t.key, a.subsample, a.subsample >= 1 ? allRows(a.newLabel.length) : undefined);
  return { x: a.newX, d: a.D, label: a.newLabel, rows, k: t.k2 };
}

/** A Newton step from the class's current residual with its step matrix, then the exact residual over its remaining rows. */
function step(a: RemovalArrays, t: TouchedClass, data: ClassData, withPaperTerm: boolean): StepOutcome {
  const { D, lambda } = a;
  const w2o = t.k2 * D;
  const h = a.newHessians.subarray(t.k2 * D * D, (t.k2 + 1) * D * D);
  let l = Float64Array.from(h);
  let rebuiltHessian = false;
  if (!cholesky(l, D)) {
    // The downdated cache lost definiteness: rebuild the class's exact Hessian at the current weights.
    classHessian(data, a.newWeights, w2o, lambda, h);
    l = Float64Array.from(h);
    rebuiltHessian = true;
    if (!cholesky(l, D)) throw new Error(`class ${t.k2}: step matrix not positive definite`);
  }
  const u = a.newResidual.subarray(w2o, w2o + D);
  const v = choleskySolve(l, D, u, new Float64Array(D));
  for (let j = 0; j < D; j++) a.newWeights[w2o + j] -= v[j];
  const started = performance.now();
  // With the first step, Guo et al.'s one-step bound ¼ ‖X'‖₂ ‖H⁻¹Δ‖ ‖X' H⁻¹Δ‖ as a reference figure.
  const xv = residualPass(data, a.newWeights, w2o, lambda, a.newNoise, w2o, a.newResidual, w2o, withPaperTerm ? v : undefined);
  return {
    k2: t.k2,
    residualNorm: norm2(a.newResidual, w2o, D),
    residualSeconds: (performance.now() - started) / 1000,
    paperTerm: withPaperTerm ? 0.25 * a.normX * norm2(v) * Math.sqrt(xv) : 0,
    rebuiltHessian,
  };
}

/**
 * The first step of the removal mechanism for one touched class (UNLEARNING.md): the exact residual
 * of the unchanged weights on the remaining rows (u_old − Σ_R ∇ℓ − λ m w), the cached Hessian
 * downdated by the removed rows as the step matrix, one Newton step, and the exact residual
 * recomputed over the class's remaining rows. Writes the class's new weights, step matrix and
 * residual in place.
 */
export function firstStep(a: RemovalArrays, t: TouchedClass): StepOutcome {
  const { D, lambda } = a;
  const wo = t.k * D;
  const u = a.newResidual.subarray(t.k2 * D, (t.k2 + 1) * D);
  const removedGrad = new Float64Array(D);
  addRowGradients({ x: a.oldX, d: D, label: a.oldLabel, rows: t.removedRows, k: t.k }, t.removedRows, a.oldWeights, wo, removedGrad, 0);
  const m = t.removedRows.length;
  for (let j = 0; j < D; j++) u[j] = u[j] - removedGrad[j] - lambda * m * a.oldWeights[wo + j];
  downdateHessian(a.newHessians.subarray(t.k2 * D * D, (t.k2 + 1) * D * D), a.oldX, D, t.removedRows, a.oldWeights, wo, lambda);
  return step(a, t, classData(a, t), true);
}

/** A further step for a class whose residual is still too large, with the same step matrix. */
export function furtherStep(a: RemovalArrays, t: TouchedClass): StepOutcome {
  return step(a, t, classData(a, t), false);
}
