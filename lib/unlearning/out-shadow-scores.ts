import { choleskySolve, dot } from './linalg';
import type { Rng } from './rng';

/** A tested (photo, class) pair: the photo's row j, the class k, and y = +1 for the photo's own class, −1 otherwise. */
export type Pair = { j: number; k: number; y: number };

/** What an OUT shadow of a class needs: its quadratic model's centre c and the factor L of its step matrix H (lower triangle). */
export type OutShadowClass = { center: Float64Array; chol: Float64Array };

/**
 * Scores y·xⱼᵀw of OUT shadow heads (retrained without the photos, with fresh noise) for the tested
 * pairs, without forming the heads. A shadow's head of class k is w = c − H⁻¹(σz − b), z ~ N(0, I)
 * fresh and b the released noise, so its score on a pair is y·xⱼᵀ(c + H⁻¹b) − σy(H⁻¹xⱼ)ᵀz: the
 * first term and H⁻¹xⱼ are computed once, and each shadow costs one dot product of D per pair
 * instead of one solve per class (0.36 s of a 1.0 s evidence before, at 100 photos × 8 classes,
 * 768 OUT shadows). The normals are drawn class by class in the classes' order, D each, as
 * forming the heads drew them, so a seed gives the same shadows (to rounding).
 */
export function outShadowScorer(
  x: Float64Array,
  D: number,
  pairs: Pair[],
  classes: Map<number, OutShadowClass>,
  noise: Float64Array,
  sigma: number,
): (rng: Rng) => number[] {
  const solve = (chol: Float64Array, b: ArrayLike<number>) => choleskySolve(chol, D, b, new Float64Array(D));
  const shifted = new Map(
    [...classes].map(([k, c]) => {
      const v = solve(c.chol, noise.subarray(k * D, (k + 1) * D));
      return [k, Float64Array.from(c.center, (ca, a) => ca + v[a])];
    }),
  );
  const base = pairs.map((p) => p.y * dot(x, p.j * D, shifted.get(p.k)!, 0, D));
  const g = pairs.map((p) => {
    const v = solve(classes.get(p.k)!.chol, x.subarray(p.j * D, (p.j + 1) * D));
    for (let a = 0; a < D; a++) v[a] *= sigma * p.y;
    return v;
  });
  const order = [...classes.keys()];
  const slot = new Map(order.map((k, i) => [k, i * D]));
  const z = new Float64Array(order.length * D);
  return (rng) => {
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    return pairs.map((p, i) => base[i] - dot(g[i], 0, z, slot.get(p.k)!, D));
  };
}
