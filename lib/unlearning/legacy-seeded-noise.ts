import { classKey } from './class-rows';
import { Rng } from './rng';

/**
 * How models made before secret noise drew b: a pure function of (seed, σ, class labels, D), with
 * the seed chosen by the partner or shown to it. Anyone who read the seed could recompute b exactly,
 * so the guarantee of those models did not hold against the partner. Kept only to recognise and
 * reproduce that attack in tests; no model is trained with it any more.
 */
export function legacySeededNoise(seed: number, sigma: number, classes: string[], D: number): Float64Array {
  const b = new Float64Array(classes.length * D);
  classes.forEach((label, k) => {
    const rng = new Rng((seed * 2654435761 + classKey(label)) % 2 ** 32);
    for (let j = 0; j < D; j++) b[k * D + j] = sigma * rng.normal();
  });
  return b;
}
