import { classKey, classRows, inSubsample, modelHashes, subsampleHashes, allRows } from './class-rows';
import { auc } from './evaluate';
import { cholesky, choleskySolve, dot } from './linalg';
import { classGradient, classHessian, sigmoid } from './logistic';
import type { NewtonModel } from './model';
import { inShadowScorer } from './in-shadow-scores';
import { outShadowScorer, type Pair } from './out-shadow-scores';
import { Rng } from './rng';

/**
 * Per-person evidence of forgetting: a likelihood-ratio membership test of one person's removed
 * photos (LiRA, Carlini et al., S&P 2022; its unlearning form U-LiRA, Hayes et al. 2024), run
 * against the released model and against shadow heads trained with and without those photos.
 *
 * It is evidence, not the guarantee: the formal (ε, δ) rests on the computed residual. Population
 * tests overestimate forgetting; this one asks, photo by photo, whether the released head scores
 * this person's photos the way heads that never saw them do.
 *
 * Restricted to what the removal touches, so that it stays cheap: the photos' own classes (where
 * they remain) and the few classes that score them highest (where, as negatives, they pulled
 * hardest), eight classes at most. Shadow heads of those classes come from a quadratic model of each class's loss
 * on the remaining data around the released weights (its cached step matrix, or its exact Hessian
 * when that matrix is not positive definite), with fresh noise per shadow: without the photos, one
 * solve each; with them, their exact logistic terms added and two Newton-chord iterations taken
 * (both sides' scores computed without forming the heads: out-shadow-scores.ts, in-shadow-scores.ts).
 * Scores are logit margins y · wᵀx. The statistic Λ sums, over (photo, class) pairs, the log ratio
 * of Gaussians fitted to the IN and OUT shadows' scores; thresholds are calibrated on held-out
 * shadows.
 */
export type ForgettingEvidence = {
  method: 'lira-per-person';
  photos: number;
  /** The classes tested ((photo, class) pairs: `pairs`); empty when every photo's class was dropped and no other class is affected. */
  classes: string[];
  pairs: number;
  shadows: number;
  /** How well the test tells heads trained with the photos from heads trained without them (its power on this person). */
  power: { auc: number; tprAtFpr: { fpr: number; tpr: number } };
  /**
   * The tested head against held-out retrained (OUT) heads: the membership statistic Λ (one-sided:
   * does it score the photos like a head that trained on them?) and a two-sided deviation
   * statistic (does it score them like a retrained head at all?), each with its p-value, the share
   * of OUT heads at least as extreme (reported; with 128 held-out shadows the smallest is 1/129).
   * Flagged when an empirical ε lower bound exceeds the certified ε: the data then refute the
   * guarantee with 99 % confidence, so a correct release is flagged at most 1 % of the time.
   * (Flagging on a p-value below 0.01 instead would flag about 2 % of correct releases by chance:
   * two statistics, each uniform under retraining.)
   */
  released: { statistic: number; pValue: number; deviation: number; deviationPValue: number; verdict: 'indistinguishable' | 'flagged' };
  /**
   * Lower bounds, holding together with 99 % confidence (BOUND_TAIL), on the ε that separates heads
   * released like this one from retrained heads, from a threshold's true and false positive rates (Clopper–Pearson),
   * ε ≥ ln((TPR_low − δ) / FPR_high) (Jagielski et al., NeurIPS 2020), for three attacks: the
   * membership statistic, the deviation statistic, and one that knows the mechanism and tests the
   * released noise along the tested head's residual (separation ‖u_t‖ / σ on the tested classes).
   * 0 when nothing separates them; at most about 3.0 with the default shadows.
   */
  empiricalEpsilon: { membership: number; deviation: number; residualDirection: number; max: number };
  seconds: number;
};

export type ForgettingOptions = {
  /** Shadows per kind (default 256; each kind split in half: one half fits, the other calibrates). */
  shadows?: number;
  /** Classes tested at most (default 8): the photos' own, then those that score any of them highest. */
  maxClasses?: number;
  /** Seed of the shadows' noise (not the model's noise, which is secret): the evidence is reproducible. */
  seed?: number;
};

/** A person's removed photos: preprocessed rows (m × D), their labels, their sample ids. */
export type RemovedPhotos = { x: Float64Array; labels: string[]; ids: string[] };

/**
 * One tested class: released weights, step matrix and its factor, the quadratic model's optimum,
 * its remaining rows, and the IN side's rows, start and chord factor.
 */
type ClassModel = {
  k: number;
  w0: Float64Array;
  h: Float64Array;
  chol: Float64Array;
  center: Float64Array;
  dataRows: Int32Array;
  rows: number[];
  inChol: Float64Array;
  inStart: Float64Array;
};

/**
 * The evidence for one person's photos, removed from `model` (the release: its remaining data,
 * step matrices, noise and residual). `target` tests another head in the release's class layout
 * with the noise it was trained with (default: the release itself): a retrained head, or a
 * deliberately broken removal.
 */
export function forgettingEvidence(
  model: NewtonModel,
  photos: RemovedPhotos,
  opts: ForgettingOptions & { target?: { weights: Float64Array; noise: Float64Array } } = {},
): ForgettingEvidence {
  const t0 = performance.now();
  const D = model.d + 1;
  const m = photos.ids.length;
  const target = opts.target?.weights ?? model.weights;
  const targetNoise = opts.target?.noise ?? model.noise;
  if (target.length !== model.weights.length) throw new RangeError(`target weights hold ${target.length} values, expected ${model.weights.length}`);
  if (photos.x.length !== m * D || photos.labels.length !== m)
    throw new RangeError(`removed photos: ${m} ids, ${photos.labels.length} labels, ${photos.x.length / D} rows`);
  const N = Math.max(8, Math.floor((opts.shadows ?? 256) / 2) * 2);
  const pairs = choosePairs(model, photos, target, opts.maxClasses ?? 8);
  const ks = [...new Set(pairs.map((p) => p.k))];
  const hashes = { data: modelHashes(model), photos: subsampleHashes(photos.ids, (j) => photos.labels[j], model.params) };
  const all = allRows(model.ids.length);
  const fits = new Map(ks.map((k) => [k, quadraticModel(model, photos, k, hashes, all)]));
  const rng = new Rng(opts.seed ?? 1);
  const outScores = outShadowScorer(photos.x, D, pairs, fits, model.noise, model.params.sigma);
  const inClasses = new Map([...fits].map(([k, f]) => [k, { ...f, y: (j: number) => (photos.labels[j] === model.classes[k] ? 1 : -1) }]));
  const inScores = inShadowScorer(photos.x, D, pairs, inClasses, model.noise, model.params.sigma, model.params.lambda);
  const draw = (kind: 'out' | 'in', count: number) => Array.from({ length: count }, () => (kind === 'out' ? outScores(rng) : inScores(rng)));
  const [outFit, outCal, inFit, inCal] = [draw('out', N / 2), draw('out', N / 2), draw('in', N / 2), draw('in', N / 2)];
  const stat = likelihoodRatio(outFit, inFit);
  const dev = deviation(outFit);
  const outStats = outCal.map(stat);
  const outDevs = outCal.map(dev);
  const power = { auc: auc(inCal.map(stat), outStats), tprAtFpr: tprAtFpr(inCal.map(stat), outStats, 0.01) };

  const targetScores = pairs.map((p) => p.y * dot(photos.x, p.j * D, target, p.k * D, D));
  const statistic = stat(targetScores);
  const pValue = (outStats.filter((s) => s >= statistic).length + 1) / (outStats.length + 1);
  const deviationValue = dev(targetScores);
  const deviationPValue = (outDevs.filter((s) => s >= deviationValue).length + 1) / (outDevs.length + 1);

  // Heads released the way the tested one was: the exact optimum for noise b_s − u_t, u_t the
  // tested head's residual on the remaining data with its own noise, i.e. OUT shadows moved by
  // H⁻¹u_t (Guo et al.'s argument, read backwards). Each statistic separates them from fresh OUT
  // shadows at a threshold chosen on one half and evaluated on the other.
  const residuals = new Map(ks.map((k) => [k, residualShift(model, fits.get(k)!, target, targetNoise)]));
  const shift = pairs.map((p) => p.y * dot(photos.x, p.j * D, residuals.get(p.k)!.step, 0, D));
  const moved = (s: number[]) => s.map((v, i) => v + shift[i]);
  const [relPick, relEval, freshPick, freshEval] = [draw('out', N / 2).map(moved), draw('out', N / 2).map(moved), draw('out', N / 2), draw('out', N / 2)];
  const delta = model.params.delta;
  const bound = (f: (s: number[]) => number) => epsilonLowerBound(relPick.map(f), freshPick.map(f), relEval.map(f), freshEval.map(f), delta);
  // Along the residual the released noise is N(‖u_t‖, σ²) against N(0, σ²) for retraining.
  const separation = Math.sqrt([...residuals.values()].reduce((a, r) => a + r.norm2, 0)) / model.params.sigma;
  const gauss = (mean: number) => Array.from({ length: N / 2 }, () => mean + rng.normal());
  const residualDirection = epsilonLowerBound(gauss(separation), gauss(0), gauss(separation), gauss(0), delta);
  const eps = { membership: bound(stat), deviation: bound(dev), residualDirection };
  const empiricalEpsilon = { ...eps, max: Math.max(eps.membership, eps.deviation, eps.residualDirection) };
  const flagged = empiricalEpsilon.max > model.params.epsilon;
  return {
    method: 'lira-per-person',
    photos: m,
    classes: ks.map((k) => model.classes[k]),
    pairs: pairs.length,
    shadows: N,
    power,
    released: { statistic, pValue, deviation: deviationValue, deviationPValue, verdict: flagged ? 'flagged' : 'indistinguishable' },
    empiricalEpsilon,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * (photo, class) pairs over at most `maxClasses` classes: the photos' own classes where they remain,
 * then the other classes that score any of the photos highest under the tested head (where, as
 * negatives, they pulled hardest); every photo is paired with every chosen class.
 */
function choosePairs(model: NewtonModel, photos: RemovedPhotos, w: Float64Array, maxClasses: number): Pair[] {
  const D = model.d + 1;
  const index = new Map(model.classes.map((c, k) => [c, k]));
  const own = new Set(photos.labels.flatMap((l) => (index.has(l) ? [index.get(l)!] : [])));
  const best = model.classes.map((_, k) => ({ k, z: -Infinity }));
  for (let j = 0; j < photos.ids.length; j++) for (const b of best) if (!own.has(b.k)) b.z = Math.max(b.z, dot(photos.x, j * D, w, b.k * D, D));
  const others = best.filter((b) => !own.has(b.k)).sort((a, b) => b.z - a.z);
  const chosen = [...own, ...others.map((b) => b.k)].slice(0, Math.max(maxClasses, own.size));
  return photos.ids.flatMap((_, j) => chosen.map((k) => ({ j, k, y: photos.labels[j] === model.classes[k] ? 1 : -1 })));
}

/** One class's quadratic model: the released weights w0, the factor of its step matrix, its optimum's centre, the IN side's rows and factor. */
function quadraticModel(model: NewtonModel, photos: RemovedPhotos, k: number, hashes: { data: Uint32Array; photos: Uint32Array }, all: Int32Array): ClassModel {
  const D = model.d + 1;
  const w0 = model.weights.slice(k * D, (k + 1) * D);
  const key = classKey(model.classes[k]);
  const dataRows = classRows(model.label, hashes.data, k, key, model.params.subsample, all);
  // The cached step matrix, or (none kept, or no longer definite) the exact Hessian at the released weights.
  let h = model.hessians?.slice(k * D * D, (k + 1) * D * D) ?? new Float64Array(D * D);
  let chol = h.slice();
  if (!model.hessians || !cholesky(chol, D)) {
    h = new Float64Array(D * D);
    classHessian({ x: model.x, d: D, label: model.label, rows: dataRows, k }, model.weights, k * D, model.params.lambda, h);
    chol = h.slice();
    if (!cholesky(chol, D)) throw new Error(`class ${model.classes[k]}: Hessian not positive definite`);
  }
  // The exact optimum of the quadratic model with the released noise: w0 − H⁻¹u (u the released residual).
  const center = w0.slice();
  const step = choleskySolve(chol, D, model.residual.subarray(k * D, (k + 1) * D), new Float64Array(D));
  for (let a = 0; a < D; a++) center[a] -= step[a];
  // The removed photos that this class trained on (positives, or negatives in its subsample).
  const rows = photos.ids.map((_, j) => j).filter((j) => photos.labels[j] === model.classes[k] || inSubsample(hashes.photos[j], key, model.params.subsample));
  // The IN side's Newton matrix at its mean solution (no extra noise), reused as the chord matrix for every IN shadow.
  const fit: ClassModel = { k, w0, h, chol, center, dataRows, rows, inChol: chol, inStart: center };
  const inStart = meanIn(model, photos, fit);
  const inChol = inHessian(model, photos, fit, inStart);
  if (!cholesky(inChol, D)) throw new Error(`class ${model.classes[k]}: IN Hessian not positive definite`);
  return { ...fit, inChol, inStart };
}

/** H + Σ_R s x xᵀ + λ m I at w: the Hessian of the IN objective (the quadratic model plus the photos' exact terms). */
function inHessian(model: NewtonModel, photos: RemovedPhotos, fit: ClassModel, w: Float64Array): Float64Array {
  const D = model.d + 1;
  const h = fit.h.slice();
  for (const j of fit.rows) {
    const y = photos.labels[j] === model.classes[fit.k] ? 1 : -1;
    const p = sigmoid(y * dot(photos.x, j * D, w, 0, D));
    const s = p * (1 - p);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) h[a * D + b] += s * photos.x[j * D + a] * photos.x[j * D + b];
  }
  for (let a = 0; a < D; a++) h[a * D + a] += model.params.lambda * fit.rows.length;
  return h;
}

/**
 * The mean IN head of a class (no extra noise): the minimiser of ½(w − c)ᵀH(w − c) + Σ_R ℓ(y wᵀx)
 * + (λ m / 2)‖w‖², c the quadratic model's centre, by Newton. The shadows take chord iterations
 * from it (in-shadow-scores.ts).
 */
function meanIn(model: NewtonModel, photos: RemovedPhotos, fit: ClassModel): Float64Array {
  const D = model.d + 1;
  const w = fit.inStart.slice();
  const g = new Float64Array(D);
  const v = new Float64Array(D);
  const diff = new Float64Array(D);
  for (let it = 0; it < 30; it++) {
    for (let a = 0; a < D; a++) diff[a] = w[a] - fit.center[a];
    for (let a = 0; a < D; a++) g[a] = dot(fit.h, a * D, diff, 0, D) + model.params.lambda * fit.rows.length * w[a];
    for (const j of fit.rows) {
      const y = photos.labels[j] === model.classes[fit.k] ? 1 : -1;
      const coef = -y * sigmoid(-y * dot(photos.x, j * D, w, 0, D));
      for (let a = 0; a < D; a++) g[a] += coef * photos.x[j * D + a];
    }
    const m = inHessian(model, photos, fit, w);
    if (!cholesky(m, D)) throw new Error('IN Hessian not positive definite');
    choleskySolve(m, D, g, v);
    let vn = 0;
    let wn = 0;
    for (let a = 0; a < D; a++) {
      w[a] -= v[a];
      vn += v[a] * v[a];
      wn += w[a] * w[a];
    }
    if (vn <= 1e-20 * (1 + wn)) break;
  }
  return w;
}

/**
 * For one class, u_t = ∇L(t; D′, b_t), the tested head's exact residual on the remaining rows with
 * its own noise (one pass over the class's rows): ‖u_t‖² and H⁻¹u_t.
 */
function residualShift(model: NewtonModel, fit: ClassModel, t: Float64Array, bt: Float64Array): { norm2: number; step: Float64Array } {
  const D = model.d + 1;
  const u = new Float64Array(D);
  classGradient({ x: model.x, d: D, label: model.label, rows: fit.dataRows, k: fit.k }, t, fit.k * D, model.params.lambda, bt, fit.k * D, u, 0);
  return { norm2: u.reduce((a, v) => a + v * v, 0), step: choleskySolve(fit.chol, D, u, new Float64Array(D)) };
}

/** Σ_pairs ((s − μ_out) / σ_out)²: how far a head's scores lie from retrained heads', in either direction. */
function deviation(out: number[][]): (scores: number[]) => number {
  const n = out[0]?.length ?? 0;
  const g = Array.from({ length: n }, (_, i) => {
    const v = out.map((r) => r[i]);
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    return { mu, sd: Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, v.length - 1)) + 1e-12 };
  });
  return (s) => s.reduce((acc, x, i) => acc + ((x - g[i].mu) / g[i].sd) ** 2, 0);
}

/** Λ(scores) = Σ_pairs log N(s; μ_in, σ_in) − log N(s; μ_out, σ_out), Gaussians fitted per pair. */
function likelihoodRatio(out: number[][], inn: number[][]): (scores: number[]) => number {
  const fit = (rows: number[][], i: number) => {
    const v = rows.map((r) => r[i]);
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, v.length - 1)) + 1e-12;
    return { mu, sd };
  };
  const n = out[0]?.length ?? 0;
  const g = Array.from({ length: n }, (_, i) => ({ o: fit(out, i), n: fit(inn, i) }));
  const logN = (x: number, p: { mu: number; sd: number }) => -Math.log(p.sd) - 0.5 * ((x - p.mu) / p.sd) ** 2;
  return (s) => s.reduce((acc, x, i) => acc + logN(x, g[i].n) - logN(x, g[i].o), 0);
}

/** The true positive rate at the threshold that keeps the false positive rate at or below `fpr`. */
function tprAtFpr(pos: number[], neg: number[], fpr: number): { fpr: number; tpr: number } {
  const sorted = [...neg].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * neg.length);
  const threshold = allowed < sorted.length ? sorted[allowed] : -Infinity;
  return { fpr: allowed / neg.length, tpr: pos.filter((p) => p > threshold).length / pos.length };
}

/**
 * The tail of each one-sided Clopper–Pearson bound. Each of the three attacks' ε bounds rests on two
 * of them (TPR low, FPR high): six in all, so a tail of 0.01 / 6 makes all three bounds hold
 * together with 99 % confidence (Bonferroni), and a correct release is flagged with probability at
 * most 1 %.
 */
export const BOUND_TAIL = 0.01 / 6;

/** The binomial tail for the Clopper–Pearson bounds. */
function binomialTail(k: number, n: number, p: number, upper: boolean): number {
  // P(X ≥ k) when upper, P(X ≤ k) otherwise, X ~ Bin(n, p), summed in log space.
  let total = 0;
  const lo = upper ? k : 0;
  const hi = upper ? n : k;
  for (let i = lo; i <= hi; i++) total += Math.exp(logChoose(n, i) + i * Math.log(Math.max(p, 1e-300)) + (n - i) * Math.log(Math.max(1 - p, 1e-300)));
  return total;
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

function clopperPearson(k: number, n: number, side: 'lower' | 'upper'): number {
  if (side === 'lower' && k === 0) return 0;
  if (side === 'upper' && k === n) return 1;
  let a = 0;
  let b = 1;
  for (let it = 0; it < 60; it++) {
    const mid = (a + b) / 2;
    // lower: the p at which P(X ≥ k) = BOUND_TAIL; upper: the p at which P(X ≤ k) = BOUND_TAIL.
    const tail = side === 'lower' ? binomialTail(k, n, mid, true) : binomialTail(k, n, mid, false);
    if (side === 'lower' ? tail < BOUND_TAIL : tail > BOUND_TAIL) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/**
 * ln((TPR_low − δ) / FPR_high) of the statistic's best threshold: chosen on the `pick` halves (the
 * largest ln(TPR / FPR) there), its rates bounded on the `eval` halves, so the bound is not
 * inflated by the choice. Released-like heads are the positives, retrained heads the negatives.
 */
function epsilonLowerBound(posPick: number[], negPick: number[], posEval: number[], negEval: number[], delta: number): number {
  let best = { t: Infinity, score: -Infinity };
  for (const t of posPick) {
    const tpr = posPick.filter((p) => p >= t).length / posPick.length;
    const fpr = (negPick.filter((n) => n >= t).length + 1) / (negPick.length + 1);
    const score = Math.log(tpr / fpr);
    if (score > best.score) best = { t, score };
  }
  const tp = posEval.filter((p) => p >= best.t).length;
  const fp = negEval.filter((n) => n >= best.t).length;
  const tprLow = clopperPearson(tp, posEval.length, 'lower');
  const fprHigh = clopperPearson(fp, negEval.length, 'upper');
  return tprLow - delta > 0 ? Math.max(0, Math.log((tprLow - delta) / fprHigh)) : 0;
}

/** The removed photos of a model, by sample id, before they are removed (rows, labels, ids). */
export function photosOf(model: NewtonModel, ids: string[]): RemovedPhotos {
  const D = model.d + 1;
  const index = new Map(model.ids.map((id, i) => [id, i]));
  const rows = ids.map((id) => {
    const i = index.get(id);
    if (i === undefined) throw new RangeError(`${id} is not in the model`);
    return i;
  });
  const x = new Float64Array(rows.length * D);
  rows.forEach((i, r) => x.set(model.x.subarray(i * D, (i + 1) * D), r * D));
  return { x, labels: rows.map((i) => model.classes[model.label[i]]), ids: [...ids] };
}
