import { removalBudget } from './budget';
import { allRows, classKey, classRows, sampleHashes } from './class-rows';
import { prepareSamples, type Samples } from './dataset';
import { UnlearningError } from './errors';
import { fitClass } from './fit-class';
import { weightedGram } from './gram';
import { norm2 } from './linalg';
import type { NewtonModel, NewtonParams } from './model';
import { checkParams } from './params';
import { Rng } from './rng';

export type TrainReport = {
  seconds: number;
  classes: number;
  samples: number;
  newtonIterations: { max: number; mean: number };
  residual: number;
  budget: number;
  converged: boolean;
};

export type TrainOptions = { tolerance?: number; maxIterations?: number };

/**
 * Trains a newton-certified model: for every class, the exact minimiser (to a gradient norm far
 * below the removal budget) of the loss-perturbed one-vs-rest logistic objective of Guo et al.
 * The label set is the labels present in the data; the noise b is drawn from the seed.
 */
export function trainNewton(samples: Samples, center: Float64Array, params: Partial<NewtonParams>, opts: TrainOptions = {}): { model: NewtonModel; report: TrainReport } {
  const started = performance.now();
  const p = checkParams(params);
  const { x, n } = prepareSamples(samples, center);
  const classes = [...new Set(samples.labels)].sort();
  if (classes.length < 2) throw new UnlearningError('empty_class', `training needs at least two identities, got ${classes.length}`);
  const index = new Map(classes.map((c, k) => [c, k]));
  const label = Int32Array.from(samples.labels, (l) => index.get(l)!);
  const D = samples.d + 1;
  const K = classes.length;
  const model: NewtonModel = {
    kind: 'newton-certified',
    d: samples.d,
    center: Float64Array.from(center),
    params: p,
    classes,
    weights: new Float64Array(K * D),
    noise: drawNoise(p.seed, p.sigma, classes, D),
    hessians: new Float64Array(K * D * D),
    residual: new Float64Array(K * D),
    hessiansExact: true,
    gram: new Float64Array(D * D),
    ids: [...samples.ids],
    label,
    x,
  };
  weightedGram(x, D, allRows(n), () => 1, model.gram);
  const iterations = fitClasses(model, range(K), opts);
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
    },
  };
}

/**
 * The secret noise b_k ~ N(0, σ² I_D) of each class, drawn from (seed, class label): a class keeps
 * the same b_k whichever other classes exist, so retraining on the remaining data from scratch
 * (the reference the guarantee compares with) uses exactly the same b.
 */
export function drawNoise(seed: number, sigma: number, classes: string[], D: number): Float64Array {
  const b = new Float64Array(classes.length * D);
  classes.forEach((label, k) => {
    const rng = new Rng((seed * 2654435761 + classKey(label)) % 2 ** 32);
    for (let j = 0; j < D; j++) b[k * D + j] = sigma * rng.normal();
  });
  return b;
}

export function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** (Re)fits the given classes of a model in place, from their current weights; returns the Newton iterations of each. */
export function fitClasses(model: NewtonModel, ks: number[], opts: TrainOptions = {}): number[] {
  const D = model.d + 1;
  const hashes = sampleHashes(model.ids, model.params.seed);
  const all = allRows(model.ids.length);
  const budget = removalBudget(model.params);
  // Far below the budget, but not below what float64 sums over the rows can resolve.
  const tolerance = opts.tolerance ?? Math.max((budget * 1e-4) / Math.sqrt(model.classes.length), 1e-12);
  return ks.map((k) => {
    const rows = classRows(model.label, hashes, k, classKey(model.classes[k]), model.params.subsample, all);
    const r = fitClass(
      { x: model.x, d: D, label: model.label, rows, k },
      {
        lambda: model.params.lambda,
        noise: model.noise,
        w: model.weights,
        hessian: model.hessians.subarray(k * D * D, (k + 1) * D * D),
        residual: model.residual,
        tolerance,
        maxIterations: opts.maxIterations ?? 50,
      },
    );
    if (!r.converged) throw new UnlearningError('bad_params', `class ${model.classes[k]} did not converge (gradient norm ${r.gradientNorm.toExponential(2)}); raise lambda`);
    return r.iterations;
  });
}
