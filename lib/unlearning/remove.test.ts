import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeClassPool } from './class-pool';
import { UnlearningError } from './errors';
import { relativeDistance } from './evaluate';
import { removeSamples } from './remove';
import { Rng } from './rng';
import type { Samples } from './dataset';
import { syntheticFaces } from './synthetic';
import { fixedNoise, recomputeResidual, without } from './test-helpers';
import { legacySeededNoise } from './legacy-seeded-noise';
import { downdateHessian } from './logistic';
import { trainNewton } from './train';

const s = syntheticFaces({ identities: 10, perIdentity: 8, d: 16, seed: 11, spread: 0.7 });
const params = { lambda: 1e-3, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 3 };
const D = 17;
const b0 = fixedNoise(params.sigma, 10 * D, 3);
const { model, report } = await trainNewton(s, s.centre, params, { noise: b0 });
/** Retraining on the remaining data with the release's own noise: the reference a release is certified against. */
const retrainLike = async (released: typeof model, data: Samples, p = params) => (await trainNewton(data, s.centre, p, { noise: released.noise })).model;
const code = (c: string) => (e: unknown) => e instanceof UnlearningError && e.code === c;

test('training reaches a residual far below the budget; the same noise gives the same model, and the noise has no seed', async () => {
  assert.ok(report.residual < report.budget * 1e-3, `${report.residual} vs ${report.budget}`);
  const again = (await trainNewton(s, s.centre, params, { noise: b0 })).model;
  assert.deepEqual(again.weights, model.weights);
  const [one, two] = [(await trainNewton(s, s.centre, params)).model, (await trainNewton(s, s.centre, params)).model];
  assert.notDeepEqual(one.noise, two.noise, 'every training draws fresh noise');
  assert.equal(one.noiseSource, 'secret');
  for (const seed of [0, 1, 3, params.subsampleSeed]) assert.notDeepEqual(legacySeededNoise(seed, params.sigma, one.classes, D), Float64Array.from(one.noise));
  await assert.rejects(async () => trainNewton(s, s.centre, { ...params, seed: 4 } as typeof params), code('bad_params'));
});

test('every release draws fresh noise; keeping the old one is possible only when asked', async () => {
  const ids = [s.ids[3]];
  const out = await removeSamples(model, ids);
  assert.equal(out.report.noise, 'redrawn');
  for (let k = 0; k < out.model.classes.length; k++) {
    const k0 = model.classes.indexOf(out.model.classes[k]);
    assert.notDeepEqual(out.model.noise.slice(k * D, (k + 1) * D), model.noise.slice(k0 * D, (k0 + 1) * D), `class ${k} kept its noise`);
  }
  assert.notDeepEqual(out.model.noiseSalt, model.noiseSalt);
  assert.equal(out.report.classesTouched, out.model.classes.length, 'every class absorbs its new noise');
  const kept = await removeSamples(model, ids, { noise: 'keep' });
  assert.equal(kept.report.noise, 'kept');
  assert.deepEqual(Float64Array.from(kept.model.noise), Float64Array.from(model.noise));
});

test('removing one photo, or a whole identity, lands next to retraining on the rest', async () => {
  for (const ids of [[s.ids[3]], s.ids.filter((_, i) => s.labels[i] === 'person-4')]) {
    // Fixed release noise: how close a release lands depends on the draw (the identity's class is dropped).
    const noise = fixedNoise(params.sigma, (model.classes.length - (ids.length > 1 ? 1 : 0)) * D, 13);
    const removed = await removeSamples(model, ids, { noise });
    const retrained = await retrainLike(removed.model, without(s, new Set(ids)));
    assert.equal(removed.report.method, 'newton-certified');
    assert.ok(relativeDistance(removed.model, retrained) < 1e-4, `distance ${relativeDistance(removed.model, retrained)}`);
    assert.deepEqual(removed.model.classes, retrained.classes);
  }
  const who = await removeSamples(
    model,
    s.ids.filter((_, i) => s.labels[i] === 'person-4'),
  );
  assert.deepEqual(who.report.classesDropped, ['person-4']);
  assert.equal(model.classes.length, 10, 'the input model is unchanged');
});

test('every released residual, recomputed independently, is within the budget', async () => {
  const rng = new Rng(99);
  let current = model;
  for (let r = 0; r < 6; r++) {
    const pick = current.ids.filter(() => rng.uniform() < 0.05).slice(0, 4);
    const ids = pick.length ? pick : [current.ids[0]];
    const out = await removeSamples(current, ids);
    const independent = recomputeResidual(out.model);
    assert.ok(independent <= out.report.budget, `release ${r}: ${independent} > ${out.report.budget}`);
    assert.ok(Math.abs(independent - out.report.residual) <= 1e-9 + 1e-6 * independent, 'the reported residual is the real one');
    current = out.model;
  }
});

test("the paper's one-step bound is never below the exact residual after that step", async () => {
  const rng = new Rng(7);
  for (let t = 0; t < 25; t++) {
    const m = 1 + Math.floor(rng.uniform() * 6);
    const ids = [...new Set(Array.from({ length: m }, () => s.ids[Math.floor(rng.uniform() * s.ids.length)]))];
    const out = await removeSamples(model, ids, { maxSteps: 1, aim: 0 });
    assert.ok(out.report.paperBoundValid);
    assert.ok(out.report.paperBound! >= out.report.residual, `trial ${t}: bound ${out.report.paperBound} < residual ${out.report.residual}`);
  }
});

test('the fallback retrains exactly when the target cannot be met', async () => {
  const strict = (await trainNewton(s, s.centre, { ...params, epsilon: 1e-6 }, { noise: b0 })).model;
  const fallback = await removeSamples(strict, [s.ids[0]], { maxSteps: 1 });
  assert.equal(fallback.report.retrained, true);
  assert.equal(fallback.report.method, 'retrain');
  const retrained = await retrainLike(fallback.model, without(s, new Set([s.ids[0]])), { ...params, epsilon: 1e-6 });
  assert.ok(relativeDistance(fallback.model, retrained) < 1e-9);
  const easy = await removeSamples(model, [s.ids[0]]);
  assert.equal(easy.report.retrained, false);
  assert.ok(easy.report.steps >= 1);
});

test('with negative subsampling, removal still matches retraining', async () => {
  const sub = { ...params, subsample: 0.5 };
  // Fixed noise before and after: the distance to retraining depends on the draw (secret noise made it flaky).
  const m = (await trainNewton(s, s.centre, sub, { noise: b0 })).model;
  const ids = [s.ids[10], s.ids[20], s.ids[30]];
  const kept = await removeSamples(m, ids, { noise: 'keep' });
  assert.ok(kept.report.classesTouched < m.classes.length, 'with the noise kept, only classes whose subsample held a removed row are touched');
  const out = await removeSamples(m, ids, { noise: fixedNoise(params.sigma, m.noise.length, 12) });
  const retrained = await retrainLike(out.model, without(s, new Set(ids)), sub);
  assert.ok(relativeDistance(out.model, retrained) < 1e-4, `distance ${relativeDistance(out.model, retrained)}`);
});

test('where the downdated Hessian contracts the residual too little, exact Newton steps certify in fewer rounds', async () => {
  // Demo-sized and nearly separable (24 people × 5 photos, d = 128, λ = 1e-4): removing 3 of a
  // person's 5 photos moves that head far, and a fixed step matrix only converges linearly.
  const small = syntheticFaces({ identities: 24, perIdentity: 5, d: 128, seed: 1 });
  const smallParams = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 1 };
  const noise = fixedNoise(0.01, 24 * 129, 1);
  const m = (await trainNewton(small, small.centre, smallParams, { noise, stepMatrices: 'cached' })).model;
  const ids = small.ids.filter((_, i) => small.labels[i] === small.labels[0]).slice(0, 3);
  const chord = await removeSamples(m, ids, { rebuildHessians: false, noise: 'keep' });
  const newton = await removeSamples(m, ids, { noise: 'keep' });
  assert.equal(chord.report.hessiansRebuilt, 0);
  assert.ok(newton.report.hessiansRebuilt > 0, 'some class got its exact Hessian back');
  assert.equal(newton.report.method, 'newton-certified');
  assert.ok(newton.report.steps < chord.report.steps, `${newton.report.steps} rounds vs ${chord.report.steps}`);
  assert.ok(recomputeResidual(newton.model) <= newton.report.budget);
  const retrained = (await trainNewton(without(small, new Set(ids)), small.centre, m.params, { noise: newton.model.noise })).model;
  assert.ok(relativeDistance(newton.model, retrained) < 1e-3, `distance ${relativeDistance(newton.model, retrained)}`);
});

test('steps after the first reuse the step matrix factored in place; the release keeps the downdated matrix itself', async () => {
  // aim 0: every round steps every class, three rounds; the chord steps use the first round's factor
  // (the noise kept: a small removal, certified without retraining, which would rebuild the matrices).
  const ids = [s.ids[3]];
  const row = model.ids.indexOf(ids[0]);
  for (const threads of [1, 2]) {
    const out = await removeSamples(model, ids, { aim: 0, maxSteps: 3, rebuildHessians: false, threads, noise: 'keep' });
    assert.equal(out.report.method, 'newton-certified');
    assert.equal(out.report.steps, 3);
    assert.equal(out.report.classSteps, 3 * model.classes.length);
    assert.equal(out.report.hessiansRebuilt, 0);
    assert.ok(out.report.residual <= out.report.budget);
    // Each class's matrix is the trained one less the removed row's term (it sits in every class's rows), and symmetric.
    const x = model.x.slice(row * D, (row + 1) * D);
    for (let k = 0; k < model.classes.length; k++) {
      const want = model.hessians!.slice(k * D * D, (k + 1) * D * D);
      downdateHessian(want, x, D, [0], model.weights, k * D, params.lambda);
      assert.deepEqual(out.model.hessians!.slice(k * D * D, (k + 1) * D * D), want, `class ${k}`);
    }
  }
  await closeClassPool();
});

test('worker threads give the same model and report as one thread', async () => {
  const ids = s.ids.filter((_, i) => s.labels[i] === 'person-6');
  const fresh = fixedNoise(params.sigma, (model.classes.length - 1) * D, 8);
  const one = await removeSamples(model, ids, { threads: 1, noise: fresh });
  const two = await removeSamples(model, ids, { threads: 2, noise: fresh });
  assert.deepEqual(two.model.weights, one.model.weights);
  assert.equal(two.report.residual, one.report.residual);
  const trainedTwo = (await trainNewton(s, s.centre, params, { threads: 2, noise: b0 })).model;
  assert.deepEqual(trainedTwo.weights, model.weights);
  await closeClassPool();
});

test('a removal that consumes its input gives the same model and report as one that copies it', async () => {
  for (const ids of [s.ids.filter((_, i) => s.labels[i] === 'person-2'), [s.ids[5], s.ids[40]]]) {
    const remaining = new Set(s.labels.filter((_, i) => !ids.includes(s.ids[i]))).size;
    const fresh = fixedNoise(params.sigma, remaining * D, 9);
    const copied = await removeSamples(model, ids, { noise: fresh });
    const input = (await trainNewton(s, s.centre, params, { noise: b0 })).model;
    const consumed = await removeSamples(input, ids, { consume: true, noise: fresh });
    assert.deepEqual(consumed.model.weights, copied.model.weights);
    assert.deepEqual(consumed.model.hessians, copied.model.hessians);
    assert.deepEqual(consumed.model.x, copied.model.x);
    assert.deepEqual(consumed.model.label, copied.model.label);
    assert.deepEqual(consumed.model.ids, copied.model.ids);
    assert.equal(consumed.report.residual, copied.report.residual);
    assert.equal(consumed.model.x.buffer, input.x.buffer, 'the features were compacted where they were');
  }
});

test('unknown, duplicate and already-removed ids are errors, not silent no-ops', async () => {
  await assert.rejects(async () => removeSamples(model, ['nope']), code('unknown_ids'));
  await assert.rejects(async () => removeSamples(model, [s.ids[1], s.ids[1]]), code('duplicate_ids'));
  await assert.rejects(async () => removeSamples(model, []), code('unknown_ids'));
  const once = (await removeSamples(model, [s.ids[1]])).model;
  await assert.rejects(async () => removeSamples(once, [s.ids[1]]), code('unknown_ids'));
  await assert.rejects(async () => removeSamples(model, s.ids), code('nothing_left'));
});
