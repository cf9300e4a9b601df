import type { Samples } from './dataset';
import { exactResidual } from './exact-residual';
import type { NewtonModel } from './model';
import { Rng } from './rng';
import { toSharedF64, toSharedI32 } from './shared';

/** The samples without the given ids (what "retraining on the remaining data" trains on). */
export function without(s: Samples, ids: Set<string>): Samples {
  const keep = s.ids.map((_, i) => i).filter((i) => !ids.has(s.ids[i]));
  const x = new Float64Array(keep.length * s.d);
  keep.forEach((i, j) => x.set(s.x.subarray(i * s.d, (i + 1) * s.d), j * s.d));
  return { ids: keep.map((i) => s.ids[i]), labels: keep.map((i) => s.labels[i]), x, d: s.d };
}

export function subset(s: Samples, pick: (i: number, s: Samples) => boolean): Samples {
  return without(s, new Set(s.ids.filter((_, i) => !pick(i, s))));
}

/** Recomputes a model's full residual from scratch, independently of what the model stores. */
export const recomputeResidual = exactResidual;

/** An independent copy of a model (shared arrays, like the original), for removals that consume their input. */
export function copyModel(m: NewtonModel): NewtonModel {
  return {
    ...m,
    classes: [...m.classes],
    weights: toSharedF64(m.weights),
    noise: toSharedF64(m.noise),
    noiseSalt: m.noiseSalt.slice(),
    hessians: m.hessians && toSharedF64(m.hessians),
    residual: toSharedF64(m.residual),
    gram: m.gram.slice(),
    ids: [...m.ids],
    label: toSharedI32(m.label),
    x: toSharedF64(m.x),
    rowsCache: m.rowsCache?.map((r) => r.slice()),
  };
}

/** Reproducible noise for tests that compare two runs (the product always draws b from secret-noise.ts). */
export function fixedNoise(sigma: number, length: number, seed = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length }, () => sigma * rng.normal());
}
