import { choleskySolve, dot } from './linalg';
import { sigmoid } from './logistic';
import type { Pair } from './out-shadow-scores';
import type { Rng } from './rng';

/**
 * What an IN shadow of a class needs: the quadratic model of the class's loss on the remaining
 * data (H, centre c), the removed photos it trained on (`rows`, indices into the photos, with
 * y = ±1), the mean IN solution w₀ and the factor of the IN matrix M at w₀ (lower triangle).
 */
export type InShadowClass = {
  h: Float64Array;
  center: Float64Array;
  rows: number[];
  y: (j: number) => number;
  inStart: Float64Array;
  inChol: Float64Array;
};

/**
 * Scores y·xⱼᵀw of IN shadow heads (trained with the photos, with fresh noise) for the tested
 * pairs, without forming the heads. A shadow's head of class k is two chord iterations from w₀ on
 * the IN objective ½(w − c)ᵀH(w − c) + eᵀw + Σ_R ℓ(y wᵀx) + (λ m / 2)‖w‖², e = σz − b (fresh
 * normals z, released noise b), with the fixed matrix M: g(w) = Aw − Hc + e + r(w), A = H + λmI,
 * r the photos' logistic gradient. With P = M⁻¹ and a = w₀ − P g(w₀ without e):
 *
 *   w₁ = a − Pe,   w₂ = a₂ − (2P − PAP)e − P r(w₁),   a₂ = a − P(Aa − Hc),
 *
 * and r(w₁) = Σ_R coefᵢ xᵢ depends on w₁ only through sᵢ = xᵢᵀa − (Pxᵢ)ᵀe. So a shadow's scores
 * are xⱼᵀa₂ − uⱼᵀe − Σ_R coefᵢ xⱼᵀPxᵢ with uⱼ = (2P − PAP)xⱼ: dot products of D per photo and
 * per trained-on photo, and a sum over the trained-on photos, instead of two D × D products and
 * two solves per class (the same heads to rounding; the normals are drawn class by class in the
 * classes' order, D each, as forming the heads drew them).
 */
export function inShadowScorer(
  x: Float64Array,
  D: number,
  pairs: Pair[],
  classes: Map<number, InShadowClass>,
  noise: Float64Array,
  sigma: number,
  lambda: number,
): (rng: Rng) => number[] {
  const prepared = new Map([...classes].map(([k, c]) => [k, prepare(x, D, pairs, k, c, noise.subarray(k * D, (k + 1) * D), lambda)]));
  const order = [...classes.keys()];
  const z = new Float64Array(D);
  const scores = new Map(order.map((k) => [k, new Float64Array(prepared.get(k)!.photos.length)]));
  // Each pair's score array and slot, looked up once rather than per shadow.
  const where = pairs.map((p) => ({ scores: scores.get(p.k)!, slot: prepared.get(p.k)!.slot.get(p.j)! }));
  return (rng) => {
    for (const k of order) {
      for (let a = 0; a < D; a++) z[a] = rng.normal();
      shadowScores(prepared.get(k)!, D, z, sigma, scores.get(k)!);
    }
    return pairs.map((p, i) => p.y * where[i].scores[where[i].slot]);
  };
}

/**
 * One class's shadow-independent parts, over the photos paired with it (`photos`) and those it
 * trained on (`rows`): uⱼ and cⱼ = xⱼᵀa₂ + uⱼᵀb per photo; Pxᵢ, sᵢ⁰ = xᵢᵀa + (Pxᵢ)ᵀb and yᵢ per
 * trained-on photo; Q = [xⱼᵀPxᵢ] (photos × rows).
 */
type Prepared = {
  photos: number[];
  slot: Map<number, number>;
  u: Float64Array;
  c: Float64Array;
  t: Float64Array;
  s0: Float64Array;
  y: Float64Array;
  q: Float64Array;
};

function prepare(x: Float64Array, D: number, pairs: Pair[], k: number, c: InShadowClass, b: Float64Array, lambda: number): Prepared {
  const m = c.rows.length;
  const solve = (v: ArrayLike<number>) => choleskySolve(c.inChol, D, v, new Float64Array(D));
  const applyA = (v: Float64Array, out: Float64Array, minus?: Float64Array) => {
    for (let a = 0; a < D; a++) out[a] = dot(c.h, a * D, v, 0, D) + lambda * m * v[a] - (minus ? dot(c.h, a * D, minus, 0, D) : 0);
    return out;
  };
  // g(w₀) without e: A w₀ − H c + r(w₀); then a = w₀ − P g, a₂ = a − P(Aa − Hc).
  const g = applyA(c.inStart, new Float64Array(D), c.center);
  for (const i of c.rows) {
    const yi = c.y(i);
    const coef = -yi * sigmoid(-yi * dot(x, i * D, c.inStart, 0, D));
    for (let a = 0; a < D; a++) g[a] += coef * x[i * D + a];
  }
  const pg = solve(g);
  const a1 = Float64Array.from(c.inStart, (v, a) => v - pg[a]);
  const p2 = solve(applyA(a1, new Float64Array(D), c.center));
  const a2 = Float64Array.from(a1, (v, a) => v - p2[a]);

  const photos = [...new Set(pairs.filter((p) => p.k === k).map((p) => p.j))];
  const n = photos.length;
  const px = new Map([...new Set([...photos, ...c.rows])].map((j) => [j, solve(x.subarray(j * D, (j + 1) * D))]));
  const u = new Float64Array(n * D);
  const cj = new Float64Array(n);
  const scratch = new Float64Array(D);
  photos.forEach((j, r) => {
    const t = px.get(j)!;
    const pat = solve(applyA(t, scratch));
    for (let a = 0; a < D; a++) u[r * D + a] = 2 * t[a] - pat[a];
    cj[r] = dot(x, j * D, a2, 0, D) + dot(u, r * D, b, 0, D);
  });
  const t = new Float64Array(m * D);
  const s0 = new Float64Array(m);
  const y = new Float64Array(m);
  c.rows.forEach((i, r) => {
    t.set(px.get(i)!, r * D);
    s0[r] = dot(x, i * D, a1, 0, D) + dot(t, r * D, b, 0, D);
    y[r] = c.y(i);
  });
  const q = new Float64Array(n * m);
  photos.forEach((j, r) => c.rows.forEach((_, ri) => (q[r * m + ri] = dot(x, j * D, t, ri * D, D))));
  return { photos, slot: new Map(photos.map((j, r) => [j, r])), u, c: cj, t, s0, y, q };
}

/** xⱼᵀw₂ for every photo paired with the class, for one shadow's normals z (e = σz − b). */
function shadowScores(p: Prepared, D: number, z: Float64Array, sigma: number, out: Float64Array): void {
  const m = p.s0.length;
  const coef = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const s = p.s0[r] - sigma * dot(p.t, r * D, z, 0, D);
    coef[r] = -p.y[r] * sigmoid(-p.y[r] * s);
  }
  for (let r = 0; r < out.length; r++) out[r] = p.c[r] - sigma * dot(p.u, r * D, z, 0, D) - dot(p.q, r * m, coef, 0, m);
}
