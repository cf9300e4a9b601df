import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cholesky, choleskySolve } from './linalg';
import { classGradient, classHessian, classObjective, logLoss, sigmoid } from './logistic';
import { weightedGram } from './gram';
import { preprocessRows } from './preprocess';
import { Rng } from './rng';
import { syntheticFaces } from './synthetic';

const s = syntheticFaces({ identities: 4, perIdentity: 6, d: 6, spread: 0.7 });
const x = preprocessRows(s.x, s.ids.length, s.centre);
const D = 7;
const label = Int32Array.from(s.labels, (l) => Number(l.split('-')[1]));
const rows = Int32Array.from(s.ids.keys());
const c = { x, d: D, label, rows, k: 1 };
const rng = new Rng(5);
const w = Float64Array.from({ length: D }, () => rng.normal());
const b = Float64Array.from({ length: D }, () => 0.1 * rng.normal());
const lambda = 0.01;

test('the gradient matches central finite differences of the objective', () => {
  const g = new Float64Array(D);
  classGradient(c, w, 0, lambda, b, 0, g, 0);
  for (let j = 0; j < D; j++) {
    const h = 1e-6;
    const wp = Float64Array.from(w);
    const wm = Float64Array.from(w);
    wp[j] += h;
    wm[j] -= h;
    const fd = (classObjective(c, wp, 0, lambda, b, 0) - classObjective(c, wm, 0, lambda, b, 0)) / (2 * h);
    assert.ok(Math.abs(fd - g[j]) < 1e-6 * Math.max(1, Math.abs(g[j])), `coordinate ${j}: ${fd} vs ${g[j]}`);
  }
});

test('the Hessian matches finite differences of the gradient, and is symmetric', () => {
  const H = new Float64Array(D * D);
  classHessian(c, w, 0, lambda, H);
  const gp = new Float64Array(D);
  const gm = new Float64Array(D);
  for (let j = 0; j < D; j++) {
    const h = 1e-5;
    const wp = Float64Array.from(w);
    const wm = Float64Array.from(w);
    wp[j] += h;
    wm[j] -= h;
    classGradient(c, wp, 0, lambda, b, 0, gp, 0);
    classGradient(c, wm, 0, lambda, b, 0, gm, 0);
    for (let i = 0; i < D; i++) {
      const fd = (gp[i] - gm[i]) / (2 * h);
      assert.ok(Math.abs(fd - H[i * D + j]) < 1e-6, `H[${i},${j}]: ${fd} vs ${H[i * D + j]}`);
      assert.equal(H[i * D + j], H[j * D + i]);
    }
  }
});

test('the blocked weighted Gram equals the naive sum', () => {
  const out = new Float64Array(D * D);
  weightedGram(x, D, rows, (i) => 0.1 + (i % 3), out);
  for (let a = 0; a < D; a++)
    for (let bb = 0; bb < D; bb++) {
      let naive = 0;
      for (const i of rows) naive += (0.1 + (i % 3)) * x[i * D + a] * x[i * D + bb];
      assert.ok(Math.abs(naive - out[a * D + bb]) < 1e-12);
    }
});

test('loss and sigmoid are stable far into both tails', () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  assert.ok(Math.abs(logLoss(-1000) - 1000) < 1e-9);
  assert.ok(logLoss(1000) >= 0 && logLoss(1000) < 1e-300);
  assert.ok(Math.abs(logLoss(0) - Math.log(2)) < 1e-15);
});

test('Cholesky solves a known system and refuses an indefinite matrix', () => {
  const A = Float64Array.from([4, 2, 2, 3]);
  const L = Float64Array.from(A);
  assert.ok(cholesky(L, 2));
  const xx = choleskySolve(L, 2, [2, 1], new Float64Array(2));
  assert.ok(Math.abs(xx[0] - 0.5) < 1e-15 && Math.abs(xx[1]) < 1e-15);
  assert.equal(cholesky(Float64Array.from([1, 2, 2, 1]), 2), false);
});
