import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allRows, classKey, classRows, sampleHashes } from './class-rows';
import { prepareSamples } from './dataset';
import { cholesky, choleskySolve, norm2 } from './linalg';
import { classHessian } from './logistic';
import { newtonCgSolve } from './newton-cg';
import { Rng } from './rng';
import { syntheticFaces } from './synthetic';

const s = syntheticFaces({ identities: 6, perIdentity: 40, d: 24, seed: 5 });
const { x, n } = prepareSamples(s, s.centre);
const D = s.d + 1;
const label = Int32Array.from(s.labels, (l) => Number(l.slice('person-'.length)));
const rng = new Rng(9);
const w = Float64Array.from({ length: 6 * D }, () => 2 * rng.normal());
const lambda = 1e-3;

/** Class k's rows: all of them, or its positives and a subsample of negatives. */
function rowsOf(k: number, subsample: number): Int32Array {
  const hashes = sampleHashes(s.ids, 3);
  return classRows(label, hashes, k, classKey(`person-${k}`), subsample, subsample >= 1 ? allRows(n) : undefined);
}

test('conjugate gradients on Hessian-vector products solve the exact Hessian system, for every class at once', () => {
  for (const subsample of [1, 0.3]) {
    const classes = [0, 2, 5].map((k) => ({
      k,
      rows: rowsOf(k, subsample),
      offset: k * D,
      u: Float64Array.from({ length: D }, () => rng.normal()),
      tolerance: 1e-12,
    }));
    const got = newtonCgSolve(x, D, n, w, lambda, classes, { maxIterations: 4 * D });
    classes.forEach((c, i) => {
      // Independently: the class's Hessian formed explicitly and factorised.
      const h = new Float64Array(D * D);
      classHessian({ x, d: D, label, rows: c.rows, k: c.k }, w, c.offset, lambda, h);
      assert.ok(cholesky(h, D));
      const want = choleskySolve(h, D, c.u, new Float64Array(D));
      const err = norm2(Float64Array.from(want, (v, j) => v - got[i].v[j])) / norm2(want);
      assert.ok(err < 1e-8, `subsample ${subsample}, class ${c.k}: relative error ${err}`);
      assert.ok(got[i].relativeResidual <= 1e-12 && got[i].iterations > 1 && got[i].iterations <= 4 * D, `${got[i].iterations} iterations`);
    });
  }
});

test('a loose tolerance stops early; a zero right-hand side needs no product; the result does not depend on the batch', () => {
  const rows = rowsOf(1, 1);
  const u = Float64Array.from({ length: D }, () => rng.normal());
  const [loose] = newtonCgSolve(x, D, n, w, lambda, [{ rows, offset: D, u, tolerance: 1e-2 }], { maxIterations: 100 });
  const [tight] = newtonCgSolve(x, D, n, w, lambda, [{ rows, offset: D, u, tolerance: 1e-12 }], { maxIterations: 100 });
  assert.ok(loose.iterations < tight.iterations && loose.relativeResidual <= 1e-2);
  const [zero] = newtonCgSolve(x, D, n, w, lambda, [{ rows, offset: D, u: new Float64Array(D), tolerance: 1e-12 }], { maxIterations: 100 });
  assert.equal(zero.iterations, 0);
  assert.deepEqual(zero.v, new Float64Array(D));
  const batch = newtonCgSolve(
    x,
    D,
    n,
    w,
    lambda,
    [
      { rows: rowsOf(4, 1), offset: 4 * D, u: u.slice(), tolerance: 1e-9 },
      { rows, offset: D, u, tolerance: 1e-12 },
    ],
    { maxIterations: 100 },
  );
  assert.deepEqual(batch[1].v, tight.v);
});
