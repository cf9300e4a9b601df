import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeClassPool } from './class-pool';
import { relativeDistance } from './evaluate';
import { decodeModel, encodeModel } from './model-file';
import { removeSamples } from './remove';
import { chooseStepMatrices, DEFAULT_STEP_MATRIX_BUDGET_BYTES, lowerTriangleLength, packLowerTriangles, unpackLowerTriangles } from './step-matrices';
import { syntheticFaces } from './synthetic';
import { fixedNoise, recomputeResidual, without } from './test-helpers';
import { trainNewton } from './train';

const s = syntheticFaces({ identities: 10, perIdentity: 8, d: 16, seed: 11, spread: 0.7 });
const params = { lambda: 1e-3, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 3 };
const D = 17;
const b0 = fixedNoise(params.sigma, 10 * D, 3);
const none = { stepMatrices: 'conjugate-gradient' } as const;

test('the cache is kept where K·D² float64 fits the budget and its Cholesky costs less than the conjugate gradients', () => {
  const at100k = chooseStepMatrices(1000, 129, 10_100);
  assert.deepEqual(at100k, { method: 'cached', reason: 'fits-and-faster', bytes: 1000 * 129 * 129 * 8, budgetBytes: DEFAULT_STEP_MATRIX_BUDGET_BYTES });
  assert.deepEqual(chooseStepMatrices(2000, 513, 20_100).reason, 'over-budget', '4.2 GB');
  // The measured case: d = 512, 420 rows per class (the cache fits, but was 5 times slower).
  assert.deepEqual(chooseStepMatrices(200, 513, 420).reason, 'slower');
  // Enough rows for the removal step to favour the cache, but training would form 513² Hessians.
  assert.deepEqual(chooseStepMatrices(500, 513, 6_060).reason, 'slower', 'training with the cache took 669 s, 20 times longer');
  assert.equal(chooseStepMatrices(500, 160, 6_060).method, 'cached');
  assert.equal(chooseStepMatrices(500, 161, 6_060).method, 'conjugate-gradient');
  // D³/3 against 10 products of 2·n·D: the cache wins from n = D²/60 rows.
  assert.equal(chooseStepMatrices(10, 60, 60).method, 'cached');
  assert.equal(chooseStepMatrices(10, 60, 59).method, 'conjugate-gradient');
  assert.equal(chooseStepMatrices(10, 17, 80, 10 * 17 * 17 * 8).method, 'cached', 'the budget is inclusive');
  assert.equal(chooseStepMatrices(10, 17, 80, 10 * 17 * 17 * 8 - 1).reason, 'over-budget');
  assert.throws(() => chooseStepMatrices(10, 17, 80, -1), RangeError);
  assert.deepEqual(chooseStepMatrices(2000, 513, 20_100, undefined, 'cached').reason, 'chosen');
});

test('without step matrices, training reaches the same optimum and removals certify next to retraining, by conjugate gradients', async () => {
  const cached = await trainNewton(s, s.centre, params, { noise: b0 });
  const bare = await trainNewton(s, s.centre, params, { noise: b0, ...none });
  assert.equal(cached.report.stepMatrices.method, 'cached');
  assert.equal(bare.report.stepMatrices.method, 'conjugate-gradient');
  assert.equal(bare.model.hessians, null);
  // Trained by truncated Newton instead (no Hessian formed): the same optimum, to the training tolerance.
  assert.ok(relativeDistance(bare.model, cached.model) < 1e-6, `distance ${relativeDistance(bare.model, cached.model)}`);
  assert.ok(bare.report.residual <= bare.report.budget * 1e-3 && bare.report.converged);
  for (const ids of [[s.ids[3]], s.ids.filter((_, i) => s.labels[i] === 'person-4'), [s.ids[10], s.ids[20], s.ids[30]]]) {
    const remaining = new Set(s.labels.filter((_, i) => !ids.includes(s.ids[i]))).size;
    const noise = fixedNoise(params.sigma, remaining * D, 13);
    const out = await removeSamples(bare.model, ids, { noise });
    const withCache = await removeSamples(cached.model, ids, { noise });
    assert.equal(out.report.method, 'newton-certified');
    assert.equal(out.report.stepMatrices, 'conjugate-gradient');
    assert.equal(withCache.report.stepMatrices, 'cached');
    assert.equal(withCache.report.cgProducts, 0);
    assert.ok(out.report.cgProducts >= out.report.classSteps, `${out.report.cgProducts} products for ${out.report.classSteps} class steps`);
    assert.equal(out.model.hessians, null);
    // The guarantee rests on the released residual: recomputed independently, within the budget.
    const independent = recomputeResidual(out.model);
    assert.ok(independent <= out.report.budget, `${independent} > ${out.report.budget}`);
    assert.ok(Math.abs(independent - out.report.residual) <= 1e-9 + 1e-6 * independent);
    const retrained = (await trainNewton(without(s, new Set(ids)), s.centre, params, { noise })).model;
    assert.ok(relativeDistance(out.model, retrained) < 1e-4, `distance ${relativeDistance(out.model, retrained)}`);
    assert.ok(relativeDistance(out.model, withCache.model) < 1e-4, 'both ways land on the same model');
  }
  const threads = await removeSamples(bare.model, [s.ids[7]], { threads: 2, noise: fixedNoise(params.sigma, 10 * D, 4) });
  const one = await removeSamples(bare.model, [s.ids[7]], { threads: 1, noise: fixedNoise(params.sigma, 10 * D, 4) });
  assert.deepEqual(threads.model.weights, one.model.weights, 'worker threads change nothing');
  await closeClassPool();
});

test('truncated Newton training reaches the same optimum with negative subsampling and on worker threads', async () => {
  const sub = { ...params, subsample: 0.5 };
  const cached = (await trainNewton(s, s.centre, sub, { noise: b0 })).model;
  const one = await trainNewton(s, s.centre, sub, { noise: b0, threads: 1, ...none });
  const two = await trainNewton(s, s.centre, sub, { noise: b0, threads: 2, ...none });
  assert.ok(one.report.converged && relativeDistance(one.model, cached) < 1e-6, `distance ${relativeDistance(one.model, cached)}`);
  assert.deepEqual(two.model.weights, one.model.weights, 'the same in lockstep on one thread or spread over two');
  await closeClassPool();
});

test('a model without step matrices has no hessians file, and reads back as it was', async () => {
  const { model, report } = await trainNewton(s, s.centre, params, { noise: b0, ...none });
  const encoded = encodeModel(model, { residual: report.residual, budget: report.budget });
  assert.deepEqual(
    [...encoded.files.keys()].filter((name) => name.startsWith('hessians')),
    [],
  );
  assert.equal(encoded.json.files.hessians, undefined);
  const back = decodeModel({ read: (name) => encoded.files.get(name), where: 'memory' }).model;
  assert.equal(back.hessians, null);
  assert.deepEqual(Array.from(back.weights), Array.from(model.weights));
  const out = await removeSamples(back, [s.ids[1]]);
  assert.ok(recomputeResidual(out.model) <= out.report.budget);
});

test('step matrices are stored as their lower triangles, row by row, and unpack to the same symmetric matrices', () => {
  // Two classes of 3 × 3, known answers.
  const h = Float64Array.from([1, 2, 4, 2, 3, 5, 4, 5, 6, 10, 20, 40, 20, 30, 50, 40, 50, 60]);
  const packed = packLowerTriangles(h, 2, 3);
  assert.deepEqual(Array.from(packed), [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
  assert.deepEqual(unpackLowerTriangles(packed, 2, 3, new Float64Array(18)), h);
  // Larger, with values that any reordering or rounding would change.
  const K = 4;
  const n = 17;
  const big = new Float64Array(K * n * n);
  for (let k = 0; k < K; k++)
    for (let a = 0; a < n; a++) for (let b = 0; b <= a; b++) big[k * n * n + a * n + b] = big[k * n * n + b * n + a] = Math.sin(k * 1000 + a * 31 + b) / 3;
  const p = packLowerTriangles(big, K, n);
  assert.equal(p.length, K * lowerTriangleLength(n));
  assert.deepEqual(unpackLowerTriangles(p, K, n, new Float64Array(K * n * n)), big);
  assert.throws(() => packLowerTriangles(big, K + 1, n), RangeError);
  assert.throws(() => unpackLowerTriangles(p.subarray(1), K, n, new Float64Array(K * n * n)), RangeError);
});
