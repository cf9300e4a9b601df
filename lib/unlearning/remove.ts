import { releaseTarget, removalBudget } from './budget';
import { runOverClasses } from './class-pool';
import { classKey, expectedRowsPerClass, inSubsample, modelHashes, remapRows } from './class-rows';
import { UnlearningError } from './errors';
import { largestEigenvalue, norm2, restoreSymmetric } from './linalg';
import type { NewtonModel } from './model';
import { remainingModel } from './remaining-model';
import { buildRowsCache } from './rows-cache';
import type { RemovalArrays, TouchedClass } from './remove-class';
import { planRemoval } from './select-removal';
import { drawNoiseSalt, drawSecretNoise } from './secret-noise';
import { sharedF64, sharedU32, sharedU8 } from './shared';
import { fitClasses, range } from './train';

export type RemovalReport = {
  method: 'newton-certified' | 'retrain';
  epsilon: number;
  delta: number;
  sigma: number;
  lambda: number;
  /** ε' = σ ε / c: the largest released residual the guarantee allows. */
  budget: number;
  /** The released model's gradient residual on the perturbed objective over the remaining data. */
  residual: number;
  residualEstablished: 'computed';
  /** Guo et al.'s one-step data-dependent bound after the first step (reference figure). */
  paperBound: number | null;
  /** Whether the paper's bound is a proven bound here (the first step used the exact Hessian). */
  paperBoundValid: boolean;
  /** Rounds of Newton steps (the first round steps every touched class, later ones only those carrying the residual). */
  steps: number;
  /** Class steps taken in all, over all rounds. */
  classSteps: number;
  /** Class steps that rebuilt the exact Hessian at the current weights (the downdated one contracted too little, or lost definiteness). */
  hessiansRebuilt: number;
  /** `cached`: steps with the model's per-class step matrices; `conjugate-gradient`: the model keeps none (step-matrices.ts). */
  stepMatrices: 'cached' | 'conjugate-gradient';
  /** Hessian-vector products over all class steps (conjugate-gradient only; 0 otherwise). */
  cgProducts: number;
  removedSamples: number;
  classesTouched: number;
  classesDropped: string[];
  retrained: boolean;
  /**
   * `redrawn`: every class the removed rows trained rests on fresh secret noise, independent of
   * every earlier version's; the classes they never trained are kept as they were.
   */
  noise: 'redrawn' | 'kept';
  seconds: { total: number; classes: number; residual: number; retrain: number };
};

/**
 * Replaces the noise b_k of the given classes by b′_k (the rest keep theirs): each class's
 * residual, ∇ of its perturbed objective, moves by b′_k − b_k exactly (the noise enters the
 * objective linearly); the steps then absorb it. `fresh` holds every remaining class's block.
 */
function redrawNoise(next: NewtonModel, fresh: Float64Array, classes: number[], D: number): void {
  if (fresh.length !== next.noise.length) {
    throw new UnlearningError('bad_params', `the given noise holds ${fresh.length} values, expected ${next.noise.length}`);
  }
  for (const k of classes) {
    for (let i = k * D; i < (k + 1) * D; i++) next.residual[i] += fresh[i] - next.noise[i];
    next.noise.set(fresh.subarray(k * D, (k + 1) * D), k * D);
  }
  next.noiseSalt = drawNoiseSalt();
  next.noiseSource = 'secret';
}

/** Puts back every step matrix that a step left holding its factor (remove-class.ts, takeStep). */
function restoreStepMatrices(a: RemovalArrays): void {
  const { newHessians: h, stepFactored: factored, stepDiagonals: diag, D } = a;
  if (!h || !factored || !diag) return;
  for (let k = 0; k < factored.length; k++) {
    if (factored[k]) restoreSymmetric(h.subarray(k * D * D, (k + 1) * D * D), D, diag.subarray(k * D, (k + 1) * D));
  }
  factored.fill(0);
}

/**
 * The rounds go on until the residual is within this fraction of the budget. Any residual within
 * the budget is certified alike (the certificate's ε and δ do not depend on it); aiming below it
 * keeps releases clear of the edge. Half: at 100,000 × 1,000 × 128 a tenth took a third round of
 * steps (2,860 class steps instead of 2,000) for a residual of 5 % of the budget instead of 34 %.
 */
export const RELEASE_AIM = 0.5;

/** A further step rebuilds a class's Hessian when its last step left more than this fraction of its residual. */
export const REBUILD_BELOW_CONTRACTION = 0.1;

export type RemoveOptions = {
  /** Rounds of Newton steps before falling back to retraining (default 5). */
  maxSteps?: number;
  /** Step again while the total residual is above this fraction of the budget (default RELEASE_AIM). */
  aim?: number;
  forceFallback?: boolean;
  /** Rebuild the exact Hessian for classes the downdated one contracts too little (default true; false keeps the chord method, for comparisons). */
  rebuildHessians?: boolean;
  /** Worker threads (default: one per core; 1 runs in-process). */
  threads?: number;
  /**
   * Reuse the input model's arrays for the result instead of copying them (the input is consumed
   * and must not be used again): what a worker that loaded the model only to remove from it wants.
   */
  consume?: boolean;
  /**
   * The release's noise b′ (classes that remain × D; only the blocks of the classes the removal
   * touches are used, the others keep their b). Default: a fresh secret draw, so that the
   * release is certified against retraining with fresh noise even for someone who holds an earlier
   * version and its training data (from which that version's b can be recomputed). A given array
   * reproduces a release exactly (tests, replay). `keep` reuses the old b: certified only against
   * an observer of the released model alone; for benchmarks that measure what the redraw costs.
   */
  noise?: Float64Array | 'keep';
  /**
   * false: release whatever the steps reached, even above the budget, instead of retraining.
   * Uncertified: only for evaluating the evidence tests on a deliberately broken removal.
   */
  fallback?: boolean;
  /**
   * Called once, when the first round of class steps is under way on the worker threads (at once
   * when no class is touched): for the caller's own work beside them. The removal job reads its
   * held-out samples then (on PGlite a query holds this thread, about 1 s at 100,000 items;
   * started before the load, it held up the load's hashing).
   */
  onStepsStarted?: () => void;
};

/**
 * Removes samples from a newton-certified model (docs/unlearning.md): drops identities that lose every
 * photo (exact); for every other class the removal touches, applies Newton steps with the cached
 * Hessian downdated by the removed rows (or, for a model without step matrices, the exact Hessian
 * by conjugate gradients) and computes the residual exactly over the class's
 * remaining rows; releases only when the total residual is within the budget ε', and retrains
 * from scratch otherwise. Returns a new model; the input is unchanged unless `opts.consume`.
 */
export async function removeSamples(model: NewtonModel, ids: string[], opts: RemoveOptions = {}): Promise<{ model: NewtonModel; report: RemovalReport }> {
  const t0 = performance.now();
  const p = model.params;
  const D = model.d + 1;
  const plan = planRemoval(model, ids);
  // Every row's sample hash, once: the removed rows' and the remaining rows' are read from it.
  const hashes = modelHashes(model);
  // A model just read from its blobs has no rows cache yet: the class workers list it.
  const rowsCache = model.rowsCache ?? (await buildRowsCache(model, { threads: opts.threads, hashes }));
  const { model: next, classMap, removed } = remainingModel(model, plan, { inPlace: opts.consume });
  const budget = removalBudget(p);
  const target = releaseTarget(budget);
  const removedHashes = Uint32Array.from(plan.removed, (j) => hashes[j]);
  const newHashes = sharedU32(next.ids.length);
  for (let j = 0; j < hashes.length; j++) if (plan.newIndex[j] >= 0) newHashes[plan.newIndex[j]] = hashes[j];
  // The classes the removed rows trained (as positives or in a subsample of negatives). The others
  // never saw them: retraining them on the same rows with the same noise would leave them as they
  // are, so they are kept, noise and all, and only the touched classes' noise is redrawn.
  const touched: TouchedClass[] = [];
  for (let k = 0; k < classMap.length; k++) {
    if (classMap[k] < 0) continue;
    const key = classKey(model.classes[k]);
    const rr: number[] = [];
    for (let r = 0; r < plan.removed.length; r++) if (removed.label[r] === k || inSubsample(removedHashes[r], key, p.subsample)) rr.push(r);
    if (rr.length) touched.push({ k, k2: classMap[k], key, removedRows: Int32Array.from(rr) });
  }
  const redraw = opts.noise !== 'keep';
  if (redraw) {
    const fresh = opts.noise instanceof Float64Array ? opts.noise : drawSecretNoise(p.sigma, next.noise.length);
    redrawNoise(
      next,
      fresh,
      touched.map((t) => t.k2),
      D,
    );
  }
  if (rowsCache) {
    next.rowsCache = model.classes.flatMap((_, k) => (classMap[k] >= 0 ? [remapRows(rowsCache[k], plan.newIndex)] : []));
    for (const t of touched) t.rows = next.rowsCache[t.k2];
  }

  const tClasses = performance.now();
  const arrays: RemovalArrays = {
    D,
    lambda: p.lambda,
    subsample: p.subsample,
    removedX: removed.x,
    removedLabel: removed.label,
    oldWeights: removed.weights,
    newX: next.x,
    newLabel: next.label,
    newHashes,
    newWeights: next.weights,
    newNoise: next.noise,
    newHessians: next.hessians,
    stepFactored: next.hessians ? sharedU8(next.classes.length) : null,
    stepDiagonals: next.hessians ? sharedF64(next.classes.length * D) : null,
    newResidual: next.residual,
    normX: Math.sqrt(largestEigenvalue(next.gram, D)),
    stepAim: 0,
  };
  const rowsPerClass = expectedRowsPerClass(next.ids.length, model.classes.length, p.subsample);
  const round = (task: 'firstStep' | 'furtherStep', classes: TouchedClass[]) =>
    runOverClasses(task, arrays, classes, {
      threads: opts.threads,
      work: rowsPerClass * classes.length * 2,
      onePerThread: true,
    });
  const maxSteps = opts.forceFallback ? 1 : (opts.maxSteps ?? 5);
  const goal = target * (opts.aim ?? RELEASE_AIM);
  // Each stepped class aims at an equal share of half the goal.
  const aimFor = (classes: number) => goal / 2 / Math.sqrt(Math.max(1, classes));
  arrays.stepAim = aimFor(touched.length);
  const firstSteps = touched.length ? round('firstStep', touched) : Promise.resolve([]);
  opts.onStepsStarted?.();
  const outcomes = await firstSteps;
  const firstRound = outcomes.slice();
  let hessiansRebuilt = firstRound.filter((o) => o.rebuiltHessian).length;
  let cgProducts = firstRound.reduce((a, o) => a + o.cgProducts, 0);
  let steps = touched.length ? 1 : 0;
  let classSteps = touched.length;
  let residualSeconds = outcomes.reduce((a, o) => a + o.residualSeconds, 0);
  let total = norm2(next.residual);
  // Further rounds step only the classes that carry the residual: the largest first, until what
  // the others hold is within half the goal (a stepped class's residual falls by orders of magnitude).
  // A class whose last step shrank its residual by less than REBUILD_BELOW_CONTRACTION gets the
  // exact Hessian at its current weights for the next one (the downdated matrix was too far off).
  const contraction = new Map(outcomes.map((o) => [o.k2, o.residualNorm / Math.max(o.residualBefore, Number.MIN_VALUE)]));
  while (total > goal && steps < maxSteps) {
    const norms = touched.map((t) => ({ t, n: norm2(next.residual, t.k2 * D, D) })).sort((a, b) => b.n - a.n);
    let rest = total * total;
    const pick: TouchedClass[] = [];
    for (const { t, n } of norms) {
      if (rest <= (goal / 2) ** 2) break;
      pick.push({ ...t, rebuild: opts.rebuildHessians !== false && (contraction.get(t.k2) ?? 1) > REBUILD_BELOW_CONTRACTION });
      rest -= n * n;
    }
    arrays.stepAim = aimFor(pick.length);
    const more = await round('furtherStep', pick);
    for (const o of more) contraction.set(o.k2, o.residualNorm / Math.max(o.residualBefore, Number.MIN_VALUE));
    hessiansRebuilt += more.filter((o) => o.rebuiltHessian).length;
    cgProducts += more.reduce((a, o) => a + o.cgProducts, 0);
    residualSeconds += more.reduce((a, o) => a + o.residualSeconds, 0);
    outcomes.push(...more.map((o) => ({ ...o, paperTerm: 0 })));
    classSteps += pick.length;
    steps++;
    total = norm2(next.residual);
  }
  restoreStepMatrices(arrays);
  const classSeconds = (performance.now() - tClasses) / 1000;

  let retrained = false;
  let retrainSeconds = 0;
  if ((total > target && opts.fallback !== false) || opts.forceFallback) {
    const tr = performance.now();
    next.weights.fill(0);
    await fitClasses(next, range(next.classes.length), { threads: opts.threads });
    next.rowsCache ??= await buildRowsCache(next, opts);
    retrained = true;
    total = norm2(next.residual);
    retrainSeconds = (performance.now() - tr) / 1000;
  }
  next.hessiansExact = !!next.hessians && (retrained || (touched.length === 0 && model.hessiansExact));
  if (total > target && opts.fallback !== false) {
    throw new UnlearningError('bad_params', `the released residual ${total} exceeds the budget ${budget} even after retraining`);
  }

  return {
    model: next,
    report: {
      method: retrained ? 'retrain' : 'newton-certified',
      epsilon: p.epsilon,
      delta: p.delta,
      sigma: p.sigma,
      lambda: p.lambda,
      budget,
      residual: total,
      residualEstablished: 'computed',
      paperBound: outcomes.length ? Math.sqrt(outcomes.reduce((a, o) => a + o.paperTerm ** 2, 0)) : null,
      paperBoundValid: model.hessiansExact && !firstRound.some((o) => o.rebuiltHessian),
      steps,
      classSteps,
      hessiansRebuilt,
      stepMatrices: next.hessians ? 'cached' : 'conjugate-gradient',
      cgProducts,
      removedSamples: plan.removed.length,
      classesTouched: touched.length,
      classesDropped: plan.dropped.map((k) => model.classes[k]),
      retrained,
      noise: redraw ? 'redrawn' : 'kept',
      seconds: { total: (performance.now() - t0) / 1000, classes: classSeconds, residual: residualSeconds, retrain: retrainSeconds },
    },
  };
}
