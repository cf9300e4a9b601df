import { allRows, classRows } from './class-rows';
import { choleskyUpperInPlace, norm2, solveUpper } from './linalg';
import { addRowGradients, classHessian, downdateHessian, type ClassData } from './logistic';
import { newtonCgSolve } from './newton-cg';
import { residualSweep } from './residual-sweep';

/** What removing from one class reads and writes (shared arrays: the new model's arrays are written in place). */
export type RemovalArrays = {
  D: number;
  lambda: number;
  subsample: number;
  /** The removed rows' features (m × D) and their classes in the old model; `TouchedClass.removedRows` index these. */
  removedX: Float32Array;
  removedLabel: Int32Array;
  /** The old model's weights, by old class index. */
  oldWeights: Float64Array;
  newX: Float32Array;
  newLabel: Int32Array;
  newHashes: Uint32Array;
  newWeights: Float64Array;
  newNoise: Float64Array;
  /** The cached step matrices, or null: the steps are then taken by conjugate gradients (newton-cg.ts). */
  newHessians: Float64Array | null;
  /**
   * With step matrices: per class, 1 while its matrix holds its own factor (linalg.ts,
   * choleskyUpperInPlace), and the matrix's diagonal saved there (classes × D). A further step
   * with the same matrix reuses the factor; removeSamples restores every factored matrix before
   * the model is released.
   */
  stepFactored: Uint8Array | null;
  stepDiagonals: Float64Array | null;
  newResidual: Float64Array;
  /** ‖X'‖₂ of the remaining data, for the paper's bound. */
  normX: number;
  /** The residual norm a class's step aims at (its share of the release's goal): how far a step by conjugate gradients solves. */
  stepAim: number;
};

export type TouchedClass = {
  k: number;
  k2: number;
  key: number;
  /** Indices into `RemovalArrays.removedX` of the removed rows in this class's sample set. */
  removedRows: Int32Array;
  /** The class's remaining rows (new indices), when the caller has them cached; otherwise derived here. */
  rows?: Int32Array;
  /** For a further step: rebuild the exact Hessian at the current weights first (a true Newton step). */
  rebuild?: boolean;
};

/** One class's step: its residual norm before and after, the time spent recomputing it, and whether its Hessian was rebuilt. */
export type StepOutcome = {
  k2: number;
  residualBefore: number;
  residualNorm: number;
  residualSeconds: number;
  paperTerm: number;
  rebuiltHessian: boolean;
  /** Hessian-vector products the step took (0 with a cached step matrix). */
  cgProducts: number;
};

function classData(a: RemovalArrays, t: TouchedClass): ClassData {
  const rows = t.rows ?? classRows(a.newLabel, a.newHashes, t.k2, t.key, a.subsample, a.subsample >= 1 ? allRows(a.newLabel.length) : undefined);
  return { x: a.newX, d: a.D, label: a.newLabel, rows, k: t.k2 };
}

/** A class's Newton step, taken; its residual is recomputed afterwards, with the other classes'. */
type Stepped = { t: TouchedClass; data: ClassData; v: Float64Array; residualBefore: number; rebuiltHessian: boolean; cgProducts: number };

/**
 * A step by conjugate gradients solves only as far as the class's share of the goal needs (an
 * inexact Newton step: solving further buys nothing while the step's own nonlinearity leaves more),
 * within these relative tolerances, and at most CG_MAX_PRODUCTS products; further rounds step
 * again where the computed residual is still too large.
 */
export const CG_TOLERANCE = { tightest: 1e-10, loosest: 0.1 };
export const CG_MAX_PRODUCTS = 200;

/** A Newton step from the class's current residual with its step matrix (weights updated in place). */
function takeStep(a: RemovalArrays, t: TouchedClass, data: ClassData, hessians: Float64Array): Stepped {
  const { D, lambda } = a;
  const w2o = t.k2 * D;
  const h = hessians.subarray(t.k2 * D * D, (t.k2 + 1) * D * D);
  const factored = a.stepFactored;
  const diag = a.stepDiagonals?.subarray(w2o, w2o + D);
  if (!factored || !diag) throw new Error('a removal with step matrices needs stepFactored and stepDiagonals');
  let rebuiltHessian = false;
  if (t.rebuild) {
    classHessian(data, a.newWeights, w2o, lambda, h);
    factored[t.k2] = 0;
    rebuiltHessian = true;
  }
  if (!factored[t.k2]) {
    if (!choleskyUpperInPlace(h, D, diag)) {
      // The downdated cache lost definiteness: rebuild the class's exact Hessian at the current weights.
      classHessian(data, a.newWeights, w2o, lambda, h);
      rebuiltHessian = true;
      if (!choleskyUpperInPlace(h, D, diag)) throw new Error(`class ${t.k2}: step matrix not positive definite`);
    }
    factored[t.k2] = 1;
  }
  const u = a.newResidual.subarray(w2o, w2o + D);
  const residualBefore = norm2(u);
  const v = solveUpper(h, D, u, new Float64Array(D));
  for (let j = 0; j < D; j++) a.newWeights[w2o + j] -= v[j];
  return { t, data, v, residualBefore, rebuiltHessian, cgProducts: 0 };
}

/** Newton steps without step matrices: the exact Hessians at the current weights, by conjugate gradients, for all the classes at once. */
function cgSteps(a: RemovalArrays, classes: { t: TouchedClass; data: ClassData }[]): Stepped[] {
  const { D } = a;
  const solved = newtonCgSolve(
    a.newX,
    D,
    a.newLabel.length,
    a.newWeights,
    a.lambda,
    classes.map(({ t, data }) => {
      const u = a.newResidual.slice(t.k2 * D, (t.k2 + 1) * D);
      const tolerance = Math.min(CG_TOLERANCE.loosest, Math.max(CG_TOLERANCE.tightest, a.stepAim / Math.max(norm2(u), Number.MIN_VALUE)));
      return { rows: data.rows, offset: t.k2 * D, u, tolerance };
    }),
    { maxIterations: CG_MAX_PRODUCTS },
  );
  return classes.map(({ t, data }, c) => {
    const { v, iterations } = solved[c];
    const w2o = t.k2 * D;
    for (let j = 0; j < D; j++) a.newWeights[w2o + j] -= v[j];
    return { t, data, v, residualBefore: norm2(a.newResidual, w2o, D), rebuiltHessian: false, cgProducts: iterations };
  });
}

/** Steps every class: with its cached matrix when the model keeps them, else by conjugate gradients. */
function stepAll(a: RemovalArrays, classes: { t: TouchedClass; data: ClassData }[]): Stepped[] {
  const hessians = a.newHessians;
  return hessians ? classes.map(({ t, data }) => takeStep(a, t, data, hessians)) : cgSteps(a, classes);
}

/**
 * The exact residuals of the stepped classes over their remaining rows, in one sweep over the
 * rows; with the first step, Guo et al.'s one-step bound ¼ ‖X'‖₂ ‖H⁻¹Δ‖ ‖X' H⁻¹Δ‖ per class as a
 * reference figure, from the same reads.
 */
function recompute(a: RemovalArrays, stepped: Stepped[], withPaperTerm: boolean): StepOutcome[] {
  const started = performance.now();
  const xv = residualSweep(
    a.newX,
    a.D,
    a.newLabel,
    stepped.map((s) => ({ k: s.t.k2, rows: s.data.rows, offset: s.t.k2 * a.D, v: withPaperTerm ? s.v : undefined })),
    a.newWeights,
    a.lambda,
    a.newNoise,
    a.newResidual,
  );
  const residualSeconds = (performance.now() - started) / 1000 / Math.max(1, stepped.length);
  return stepped.map((s, c) => ({
    k2: s.t.k2,
    residualBefore: s.residualBefore,
    residualNorm: norm2(a.newResidual, s.t.k2 * a.D, a.D),
    residualSeconds,
    paperTerm: withPaperTerm ? 0.25 * a.normX * norm2(s.v) * Math.sqrt(xv[c]) : 0,
    rebuiltHessian: s.rebuiltHessian,
    cgProducts: s.cgProducts,
  }));
}

/**
 * The first step of the removal mechanism for the touched classes (docs/unlearning.md): per class, the
 * exact residual of the unchanged weights on the remaining rows (u_old − Σ_R ∇ℓ − λ m w), the
 * cached Hessian downdated by the removed rows as the step matrix (or, without a cache, the exact
 * Hessian by conjugate gradients), one Newton step; then the exact
 * residuals recomputed over the classes' remaining rows. Writes the classes' new weights, step
 * matrices and residuals in place.
 */
export function firstSteps(a: RemovalArrays, touched: TouchedClass[]): StepOutcome[] {
  const { D, lambda } = a;
  const prepared = touched.map((t) => {
    const wo = t.k * D;
    const u = a.newResidual.subarray(t.k2 * D, (t.k2 + 1) * D);
    const removedGrad = new Float64Array(D);
    addRowGradients({ x: a.removedX, d: D, label: a.removedLabel, rows: t.removedRows, k: t.k }, t.removedRows, a.oldWeights, wo, removedGrad, 0);
    const m = t.removedRows.length;
    for (let j = 0; j < D; j++) u[j] = u[j] - removedGrad[j] - lambda * m * a.oldWeights[wo + j];
    if (a.newHessians) downdateHessian(a.newHessians.subarray(t.k2 * D * D, (t.k2 + 1) * D * D), a.removedX, D, t.removedRows, a.oldWeights, wo, lambda);
    return { t, data: classData(a, t) };
  });
  return recompute(a, stepAll(a, prepared), true);
}

/**
 * Further steps for classes whose residual is still too large: with the same step matrix (cheap,
 * linear convergence), or, when `t.rebuild` is set because that matrix contracted the residual too
 * little, with the exact Hessian at the current weights (quadratic convergence; the rebuilt matrix
 * is also the better cache for later removals).
 */
export function furtherSteps(a: RemovalArrays, touched: TouchedClass[]): StepOutcome[] {
  return recompute(
    a,
    stepAll(
      a,
      touched.map((t) => ({ t, data: classData(a, t) })),
    ),
    false,
  );
}
