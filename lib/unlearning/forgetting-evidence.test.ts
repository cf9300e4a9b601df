import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgettingEvidence, photosOf } from './forgetting-evidence';
import { removeSamples } from './remove';
import { syntheticFaces } from './synthetic';
import { fixedNoise, without } from './test-helpers';
import { trainNewton } from './train';

// Demo-sized and nearly separable (24 people × 5 photos, d = 128, λ = 1e-4, σ = 0.01): the
// setting where one Newton step is furthest from converged.
const s = syntheticFaces({ identities: 24, perIdentity: 5, d: 128, seed: 1 });
const params = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 1 };
const D = 129;
const model = (await trainNewton(s, s.centre, params, { noise: fixedNoise(params.sigma, 24 * D, 5) })).model;
const ids = s.ids.filter((_, i) => s.labels[i] === s.labels[0]).slice(0, 3);
const photos = photosOf(model, ids);
const released = await removeSamples(model, ids, { noise: fixedNoise(params.sigma, 24 * D, 6) });
const evidence = (target?: { weights: Float64Array; noise: Float64Array }) => forgettingEvidence(released.model, photos, { target, seed: 3 });
const correct = evidence();
const retrainedModel = (await trainNewton(without(s, new Set(ids)), s.centre, params, { noise: fixedNoise(params.sigma, 24 * D, 7) })).model;

test('a correct removal cannot be told from retraining, by a test that tells training with the photos from training without them', () => {
  assert.equal(correct.released.verdict, 'indistinguishable', JSON.stringify(correct));
  assert.ok(correct.empiricalEpsilon.max <= params.epsilon, `ε lower bound ${correct.empiricalEpsilon.max}`);
  assert.ok(correct.power.auc > 0.9, `the test has power on this person: AUC ${correct.power.auc}`);
  assert.ok(correct.pairs >= photos.ids.length);
  const retrained = retrainedModel;
  const e = evidence({ weights: retrained.weights, noise: retrained.noise });
  assert.equal(e.released.verdict, 'indistinguishable', JSON.stringify(e.released));
  assert.ok(e.empiricalEpsilon.max <= params.epsilon);
});

test('the original model released unchanged is flagged', () => {
  const e = evidence({ weights: model.weights, noise: model.noise });
  assert.equal(e.released.verdict, 'flagged');
  assert.ok(e.released.pValue < 0.01);
  assert.ok(e.empiricalEpsilon.membership > 1, `membership ε lower bound ${e.empiricalEpsilon.membership}`);
});

test('a single unconverged Newton step is flagged', async () => {
  const one = await removeSamples(model, ids, { maxSteps: 1, fallback: false, rebuildHessians: false, noise: fixedNoise(params.sigma, 24 * D, 6) });
  assert.ok(one.report.residual > one.report.budget, 'the step did not converge');
  const e = evidence({ weights: one.model.weights, noise: one.model.noise });
  assert.equal(e.released.verdict, 'flagged', JSON.stringify(e.released));
  assert.ok(e.empiricalEpsilon.max > params.epsilon);
});

test('the evidence is reproducible: the same shadows give the same figures', () => {
  const again = evidence();
  assert.deepEqual({ ...again, seconds: 0 }, { ...correct, seconds: 0 });
});
