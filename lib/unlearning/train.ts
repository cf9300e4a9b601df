import { removalBudget } from './budget';
import { allRows, classKey, expectedRowsPerClass, modelHashes } from './class-rows';
import { runOverClasses } from './class-pool';
import type { FitArrays } from './class-tasks';
import { prepareSamples, type Samples } from './dataset';
import { UnlearningError } from './errors';
import { weightedGram } from './gram';
import { norm2 } from './linalg';
import type { NewtonModel, NewtonParams } from './model';
import { checkParams } from './params';
import { buildRowsCache } from './rows-cache';
import { drawNoiseSalt, drawSecretNoise } from './secret-noise';
import { sharedF64, toSharedF64, toSharedI32, toSharedU32 } from './shared';
import { chooseStepMatrices, type StepMatrices } from './step-matrices';

export type TrainReport = {
  seconds: number;
  classes: number;
  samples: number;
  newtonIterations: { max: number; mean: number };
  residual: number;
  budget: number;
  converged: boolean;
  /** Whether the model keeps its per-class step matrices, what they take, and the budget they were held against. */
  stepMatrices: StepMatrices;
};

export type TrainOptions = {
  tolerance?: number;
  maxIterations?: number;
  /** Worker threads (default: one per core; 1 runs in-process). */
  threads?: number;
  /**
   * The noise b (K × D, classes in sorted label order). Default: a fresh draw from the
   * cryptographic source. Given only to reproduce a model exactly (tests, the retraining that a
   * release is compared with, an auditor's replay).
   */
  noise?: Float64Array;
  /** Memory the per-class step matrices may take (K·D² float64); above it the model keeps none (step-matrices.ts). */
  stepMatrixBudgetBytes?: number;
  /** Keep the step matrices, or not, whatever the budget and the cost model say (comparisons only). */
  stepMatrices?: StepMatrices['method'];
};

/**
 * Trains a newton-certified model: for every class, the exact minimiser (to a gradient norm far
 * below the removal budget) of the loss-perturbed one-vs-rest logistic objective of Guo et al.
 * The label set is the labels present in the data; the noise b is a fresh secret draw (or `opts.noise`).
 */
export async function trainNewton(
  samples: Samples,
  center: Float64Array,
  params: Partial<NewtonParams>,
  opts: TrainOptions = {},
): Promise<{ model: NewtonModel; report: TrainReport }> {
  const started = performance.now();
  const p = checkParams(params);
  const { x, n } = prepareSamples(samples, center);
  const classes = [...new Set(samples.labels)].sort();
  if (classes.length < 2) throw new UnlearningError('empty_class', `training needs at least two identities, got ${classes.length}`);
  const index = new Map(classes.map((c, k) => [c, k]));
  const label = Int32Array.from(samples.labels, (l) => index.get(l)!);
  const D = samples.d + 1;
  const K = classes.length;
  const stepMatrices = chooseStepMatrices(K, D, expectedRowsPerClass(n, K, p.subsample), opts.stepMatrixBudgetBytes, opts.stepMatrices);
  const model: NewtonModel = {
    kind: 'newton-certified',
    d: samples.d,
    center: Float64Array.from(center),
    params: p,
    classes,
    weights: sharedF64(K * D),
    noise: toSharedF64(checkedNoise(opts.noise, K * D) ?? drawSecretNoise(p.sigma, K * D)),
    noiseSource: 'secret',
    noiseSalt: drawNoiseSalt(),
    hessians: stepMatrices.method === 'cached' ? sharedF64(K * D * D) : null,
    residual: sharedF64(K * D),
    hessiansExact: stepMatrices.method === 'cached',
    gram: new Float64Array(D * D),
    ids: [...samples.ids],
    label: toSharedI32(label),
    x,
  };
  weightedGram(x, D, allRows(n), () => 1, model.gram);
  const iterations = await fitClasses(model, range(K), opts);
  model.rowsCache = await buildRowsCache(model, opts);
  const residual = norm2(model.residual);
  const budget = removalBudget(p);
  return {
    model,
    report: {
      seconds: (performance.now() - started) / 1000,
      classes: K,
      samples: n,
      newtonIterations: { max: Math.max(...iterations), mean: iterations.reduce((a, b) => a + b, 0) / K },
      residual,
      budget,
      converged: residual <= budget * 1e-3,
      stepMatrices,
    },
  };
}

function checkedNoise(noise: Float64Array | undefined, length: number): Float64Array | undefined {
  if (noise && noise.length !== length) {
    throw new UnlearningError('bad_params', `the given noise holds ${noise.length} values, expected ${length} (classes × (d + 1))`);
  }
  return noise;
}

export function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** The share of the budget that classes stopping short of the fit's tolerance may hold together. */
export const SHORT_SHARE = 1e-2;

/** (Re)fits the given classes of a model in place, from their current weights; returns the Newton iterations of each. */
export async function fitClasses(model: NewtonModel, ks: number[], opts: TrainOptions = {}): Promise<number[]> {
  const D = model.d + 1;
  const budget = removalBudget(model.params);
  const arrays: FitArrays = {
    D,
    lambda: model.params.lambda,
    subsample: model.params.subsample,
    x: model.x,
    label: model.label,
    hashes: toSharedU32(modelHashes(model)),
    keys: toSharedU32(model.classes.map(classKey)),
    weights: model.weights,
    noise: model.noise,
    hessians: model.hessians,
    residual: model.residual,
    // Far below the budget, but not below what float64 sums over the rows can resolve.
    tolerance: opts.tolerance ?? Math.max((budget * 1e-4) / Math.sqrt(model.classes.length), 1e-12),
    maxIterations: opts.maxIterations ?? 50,
  };
  const work = model.ids.length * ks.length * Math.min(1, model.params.subsample + model.classes.length ** -1);
  const outcomes = await runOverClasses('fit', arrays, ks, { threads: opts.threads, work });
  // The tolerance is a goal four orders below the budget. A class may stop short of it where its
  // objective is flat to float64 rounding (the line search finds no lower value: seen at a
  // gradient norm of 2.4e-9 against 6e-10 on a retraining of 100,000 × 1,000). What the short
  // classes hold counts against the budget with the rest of the residual, so the fit fails only
  // when together they would take a visible share of it (1 %).
  const short = outcomes.filter((o) => !o.converged);
  const shortNorm = Math.sqrt(short.reduce((a, o) => a + o.gradientNorm ** 2, 0));
  if (shortNorm > budget * SHORT_SHARE) {
    const worst = short.reduce((a, o) => (o.gradientNorm > a.gradientNorm ? o : a));
    const norms = `gradient norm ${worst.gradientNorm.toExponential(2)}, budget ${budget.toExponential(2)}`;
    throw new UnlearningError('bad_params', `class ${model.classes[worst.k]} did not converge (${norms}); raise lambda`);
  }
  const byClass = new Map(outcomes.map((o) => [o.k, o.iterations]));
  return ks.map((k) => byClass.get(k)!);
}
