import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inShadowScorer, type InShadowClass } from './in-shadow-scores';
import { cholesky } from './linalg';
import type { Pair } from './out-shadow-scores';
import { Rng } from './rng';

// Small and dense (D = 7, 6 photos, 2 classes), so that the heads can be formed the long way:
// two chord iterations on the IN objective with every product written out.
const D = 7;
const photos = 6;
const lambda = 0.05;
const sigma = 0.3;
const gen = new Rng(11);
const x = Float64Array.from({ length: photos * D }, () => gen.normal());
const spd = (scale: number) => {
  const r = Float64Array.from({ length: D * D }, () => gen.normal() * scale);
  const h = new Float64Array(D * D);
  for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) for (let c = 0; c < D; c++) h[a * D + b] += r[c * D + a] * r[c * D + b];
  for (let a = 0; a < D; a++) h[a * D + a] += 1;
  return h;
};
const vec = () => Float64Array.from({ length: D }, () => gen.normal() * 0.5);
const labels = [0, 0, 1, 0, 1, 1];
/** Class 0 trained on photos 0, 1, 2 and 4 (two positives, two negatives); class 1 on 2, 4 and 5. */
const rowsOf = [
  [0, 1, 2, 4],
  [2, 4, 5],
];
const K = 2;
const noise = Float64Array.from({ length: K * D }, () => gen.normal() * sigma);
const classes = new Map<number, InShadowClass & { chordMatrix: Float64Array }>(
  [0, 1].map((k) => {
    const chordMatrix = spd(0.7);
    const inChol = chordMatrix.slice();
    assert.ok(cholesky(inChol, D));
    return [k, { h: spd(0.5), center: vec(), rows: rowsOf[k], y: (j: number) => (labels[j] === k ? 1 : -1), inStart: vec(), inChol, chordMatrix }];
  }),
);
const pairs: Pair[] = Array.from({ length: photos }, (_, j) => [0, 1].map((k) => ({ j, k, y: labels[j] === k ? 1 : -1 }))).flat();

/** Solves M v = g by Gaussian elimination (no Cholesky, nothing shared with the scorer). */
function solveDense(m: Float64Array, g: Float64Array): Float64Array {
  const a = Array.from({ length: D }, (_, r) => [...m.subarray(r * D, (r + 1) * D), g[r]]);
  for (let c = 0; c < D; c++) {
    const p = a.reduce((best, row, r) => (r >= c && Math.abs(row[c]) > Math.abs(a[best][c]) ? r : best), c);
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < D; r++) if (r !== c) a[r] = a[r].map((v, i) => v - (a[r][c] / a[c][c]) * a[c][i]);
  }
  return Float64Array.from(a, (row, r) => row[D] / row[r]);
}

/** The IN head the long way: w ← w − M⁻¹ g(w) twice from w₀, g(w) = H(w − c) + e + λ m w + Σ_R −y σ(−y xᵀw) x. */
function formedHead(c: InShadowClass & { chordMatrix: Float64Array }, e: Float64Array): Float64Array {
  let w = c.inStart.slice();
  for (let it = 0; it < 2; it++) {
    const g = new Float64Array(D);
    for (let a = 0; a < D; a++) {
      for (let b = 0; b < D; b++) g[a] += c.h[a * D + b] * (w[b] - c.center[b]);
      g[a] += e[a] + lambda * c.rows.length * w[a];
    }
    for (const j of c.rows) {
      let s = 0;
      for (let a = 0; a < D; a++) s += x[j * D + a] * w[a];
      const y = c.y(j);
      for (let a = 0; a < D; a++) g[a] += (-y / (1 + Math.exp(y * s))) * x[j * D + a];
    }
    const v = solveDense(c.chordMatrix, g);
    w = w.map((wa, a) => wa - v[a]);
  }
  return w;
}

/** Checks a scorer over `cls` against heads formed the long way, for a few shadows. */
function checkAgainstFormed(cls: typeof classes, pairsOf: Pair[]) {
  const scorer = inShadowScorer(x, D, pairsOf, cls, noise, sigma, lambda);
  const a = new Rng(5);
  const b = new Rng(5);
  for (let shadow = 0; shadow < 4; shadow++) {
    const scores = scorer(a);
    // The same normals, drawn class by class in the classes' order, D each.
    const heads = new Map(
      [...cls].map(([k, c]) => [
        k,
        formedHead(
          c,
          Float64Array.from({ length: D }, (_, i) => sigma * b.normal() - noise[k * D + i]),
        ),
      ]),
    );
    const expected = pairsOf.map((p) => p.y * heads.get(p.k)!.reduce((acc, w, i) => acc + w * x[p.j * D + i], 0));
    scores.forEach((s, i) => assert.ok(Math.abs(s - expected[i]) <= 1e-9 * (1 + Math.abs(expected[i])), `shadow ${shadow}, pair ${i}: ${s} vs ${expected[i]}`));
  }
}

test('IN shadow scores equal the scores of heads formed by two chord iterations, shadow by shadow', () => {
  checkAgainstFormed(classes, pairs);
});

test('a class trained on none of the photos, tested alone, also matches its formed heads', () => {
  const none = new Map([[1, { ...classes.get(1)!, rows: [] }]]);
  checkAgainstFormed(
    none,
    pairs.filter((p) => p.k === 1),
  );
});
