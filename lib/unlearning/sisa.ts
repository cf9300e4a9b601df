import { prepareSamples, type Samples } from './dataset';
import { UnlearningError } from './errors';
import { fitClass } from './fit-class';
import { rowDot, sigmoid } from './logistic';
import { planRemoval } from './select-removal';

/**
 * SISA (Bourtoule et al., IEEE S&P 2021): the data is split into S shards by a hash of each sample
 * id, each shard into R slices; one head per shard is trained slice by slice, keeping a checkpoint
 * (weights) after each slice; predictions average the shards' class probabilities. Removing a
 * sample retrains only its shard, from the checkpoint before the earliest affected slice. Each
 * shard's head is the exact minimiser of a strictly convex objective (no noise), so the result is
 * the model retrained without the sample: exact removal, ε = 0.
 */
/** `shardSeed` assigns samples to shards and slices: a public choice (SISA has no noise). */
export type SisaParams = { shards: number; slices: number; lambda: number; shardSeed: number };

export type SisaModel = {
  kind: 'sisa';
  d: number;
  center: Float64Array;
  params: SisaParams;
  /** Every label with a positive sample anywhere. */
  classes: string[];
  ids: string[];
  /** Index into `classes` per row. */
  label: Int32Array;
  x: Float32Array;
  shardOf: Int32Array;
  sliceOf: Int32Array;
  /** Per shard: checkpoints[r] = K × D weights after slices 0..r (classes absent from the shard stay 0 and are marked absent). */
  shards: { checkpoints: Float64Array[]; present: Uint8Array }[];
};

export type SisaReport = {
  method: 'sisa';
  epsilon: 0;
  delta: 0;
  removedSamples: number;
  shardsRetrained: number;
  slicesRetrained: number;
  classesDropped: string[];
  seconds: number;
};

function hash(id: string, seed: number, salt: number): number {
  let v = (0x811c9dc5 ^ seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  for (let c = 0; c < id.length; c++) v = Math.imul(v ^ id.charCodeAt(c), 0x01000193) >>> 0;
  v = Math.imul(v ^ (v >>> 15), 0x2c1b3c6d) >>> 0;
  return (v ^ (v >>> 12)) >>> 0;
}

/** Each sample's shard and slice, from a hash of its id: independent of the other samples. */
export function sisaAssignments(ids: string[], params: SisaParams): { shardOf: Int32Array; sliceOf: Int32Array } {
  return {
    shardOf: Int32Array.from(ids, (id) => hash(id, params.shardSeed, 1) % params.shards),
    sliceOf: Int32Array.from(ids, (id) => hash(id, params.shardSeed, 2) % params.slices),
  };
}

function checkSisaParams(p: SisaParams): void {
  const bad: string[] = [];
  if (!(Number.isInteger(p.shards) && p.shards >= 1 && p.shards <= 256)) bad.push(`shards must be an integer in [1, 256] (got ${p.shards})`);
  if (!(Number.isInteger(p.slices) && p.slices >= 1 && p.slices <= 64)) bad.push(`slices must be an integer in [1, 64] (got ${p.slices})`);
  if (!(p.lambda > 0)) bad.push(`lambda must be > 0 (got ${p.lambda})`);
  if (bad.length) throw new UnlearningError('bad_params', bad.join('; '));
}

/** Trains shard s from checkpoint `from` (−1: from zero) through the last slice. */
function trainShard(m: SisaModel, s: number, from: number): number {
  const D = m.d + 1;
  const K = m.classes.length;
  const shard = m.shards[s];
  const zeroNoise = new Float64Array(K * D);
  const w = from >= 0 ? Float64Array.from(shard.checkpoints[from]) : new Float64Array(K * D);
  const hessian = new Float64Array(D * D);
  const residual = new Float64Array(K * D);
  let slices = 0;
  for (let r = from + 1; r < m.params.slices; r++) {
    const rows = Int32Array.from(m.ids.keys()).filter((i) => m.shardOf[i] === s && m.sliceOf[i] <= r);
    const present = new Uint8Array(K);
    for (const i of rows) present[m.label[i]] = 1;
    for (let k = 0; k < K; k++) {
      if (!present[k]) {
        w.fill(0, k * D, (k + 1) * D);
        continue;
      }
      const res = fitClass(
        { x: m.x, d: D, label: m.label, rows, k },
        { lambda: m.params.lambda, noise: zeroNoise, w, hessian, keepHessian: false, residual, tolerance: 1e-10, maxIterations: 60 },
      );
      if (!res.converged) throw new UnlearningError('bad_params', `SISA shard ${s}: class ${m.classes[k]} did not converge; raise lambda`);
    }
    shard.checkpoints[r] = Float64Array.from(w);
    shard.present = present;
    slices++;
  }
  return slices;
}

export function trainSisa(samples: Samples, center: Float64Array, params: SisaParams): SisaModel {
  checkSisaParams(params);
  const { x } = prepareSamples(samples, center);
  const classes = [...new Set(samples.labels)].sort();
  if (classes.length < 2) throw new UnlearningError('empty_class', `training needs at least two identities, got ${classes.length}`);
  const index = new Map(classes.map((c, k) => [c, k]));
  const m: SisaModel = {
    kind: 'sisa',
    d: samples.d,
    center: Float64Array.from(center),
    params,
    classes,
    ids: [...samples.ids],
    label: Int32Array.from(samples.labels, (l) => index.get(l)!),
    x,
    ...sisaAssignments(samples.ids, params),
    shards: Array.from({ length: params.shards }, () => ({ checkpoints: [], present: new Uint8Array(classes.length) })),
  };
  for (let s = 0; s < params.shards; s++) trainShard(m, s, -1);
  return m;
}

/** Removes samples: drops them, drops identities left without photos, retrains only the affected shards. */
export function removeSisa(model: SisaModel, ids: string[]): { model: SisaModel; report: SisaReport } {
  const t0 = performance.now();
  const plan = planRemoval(model, ids);
  const D = model.d + 1;
  const dropped = new Set(plan.dropped);
  const classMap = new Int32Array(model.classes.length).fill(-1);
  const classes: string[] = [];
  model.classes.forEach((c, k) => {
    if (!dropped.has(k)) classMap[k] = classes.push(c) - 1;
  });
  const earliest = new Map<number, number>();
  for (const r of plan.removed) {
    const s = model.shardOf[r];
    earliest.set(s, Math.min(earliest.get(s) ?? Infinity, model.sliceOf[r]));
  }
  const keep = Array.from(model.ids.keys()).filter((i) => plan.newIndex[i] >= 0);
  const remap = (w: Float64Array) => {
    const out = new Float64Array(classes.length * D);
    model.classes.forEach((_, k) => {
      if (classMap[k] >= 0) out.set(w.subarray(k * D, (k + 1) * D), classMap[k] * D);
    });
    return out;
  };
  const next: SisaModel = {
    ...model,
    classes,
    ids: keep.map((i) => model.ids[i]),
    label: Int32Array.from(keep, (i) => classMap[model.label[i]]),
    x: new Float32Array(keep.length * D),
    shardOf: Int32Array.from(keep, (i) => model.shardOf[i]),
    sliceOf: Int32Array.from(keep, (i) => model.sliceOf[i]),
    shards: model.shards.map((sh) => ({
      checkpoints: sh.checkpoints.map(remap),
      present: Uint8Array.from(classes, (_, k2) => sh.present[model.classes.indexOf(classes[k2])]),
    })),
  };
  keep.forEach((i, j) => next.x.set(model.x.subarray(i * D, (i + 1) * D), j * D));
  let slicesRetrained = 0;
  for (const [s, r] of earliest) slicesRetrained += trainShard(next, s, r - 1);
  return {
    model: next,
    report: {
      method: 'sisa',
      epsilon: 0,
      delta: 0,
      removedSamples: plan.removed.length,
      shardsRetrained: earliest.size,
      slicesRetrained,
      classesDropped: plan.dropped.map((k) => model.classes[k]),
      seconds: (performance.now() - t0) / 1000,
    },
  };
}

/** Aggregated log-odds per class: log(p̄ / (1 − p̄)), p̄ the mean over shards of σ(z) (absent classes count as 0). */
export function sisaLogits(model: SisaModel, x: Float32Array, n: number): Float64Array {
  const D = model.d + 1;
  const K = model.classes.length;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      let p = 0;
      for (const sh of model.shards) if (sh.present[k]) p += sigmoid(rowDot(x, i * D, sh.checkpoints[sh.checkpoints.length - 1], k * D, D));
      p = Math.min(Math.max(p / model.shards.length, 1e-300), 1 - 1e-16);
      out[i * K + k] = Math.log(p / (1 - p));
    }
  }
  return out;
}
