export { subset, without } from './dataset';
import { exactResidual } from './exact-residual';
import type { NewtonModel } from './model';
import { Rng } from './rng';
import { toSharedF32, toSharedF64, toSharedI32 } from './shared';

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
    x: toSharedF32(m.x),
    rowsCache: m.rowsCache?.map((r) => r.slice()),
  };
}

/** Reproducible noise for tests that compare two runs (the product always draws b from secret-noise.ts). */
export function fixedNoise(sigma: number, length: number, seed = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length }, () => sigma * rng.normal());
}
