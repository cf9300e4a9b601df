import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { removalBudget } from './budget';
import { closeClassPool } from './class-pool';
import { classKey, inSubsample, sampleHashes } from './class-rows';
import { relativeDistance } from './evaluate';
import { removeSamples } from './remove';
import { syntheticFaces } from './synthetic';
import { fixedNoise, recomputeResidual, without } from './test-helpers';
import { trainNewton } from './train';

after(() => closeClassPool());

// Negatives drawn by label at r = 0.25: removing photos of one person touches their own class and
// the classes whose subsample holds their label, about a quarter of the others.
const s = syntheticFaces({ identities: 16, perIdentity: 6, d: 16, seed: 5, spread: 0.8 });
const params = { lambda: 1e-3, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 0.25, subsampleSeed: 9, subsampleByLabel: 1 };
const D = 17;
const { model } = await trainNewton(s, s.centre, params, { noise: fixedNoise(params.sigma, 16 * D, 2) });
const person = 'person-3';
// Two of the person's six photos: the class stays, and the removal is not exact by dropping it.
const ids = s.ids.filter((_, i) => s.labels[i] === person).slice(0, 2);

/** The classes the photos trained, by the definition: their own, and those whose subsample holds their label. */
function touchedByDefinition(): Set<string> {
  const h = sampleHashes([person], params.subsampleSeed)[0];
  return new Set(model.classes.filter((c) => c === person || inSubsample(h, classKey(c), params.subsample)));
}

const block = (a: Float64Array, k: number) => Array.from(a.subarray(k * D, (k + 1) * D));

test('only the classes the removed photos trained are stepped and get fresh noise; the others are kept bit for bit', async () => {
  const want = touchedByDefinition();
  assert.ok(want.size > 1 && want.size < model.classes.length / 2, `touched by definition: ${want.size} of ${model.classes.length}`);
  const out = await removeSamples(model, ids);
  assert.equal(out.report.noise, 'redrawn');
  assert.equal(out.report.classesTouched, want.size);
  assert.deepEqual(out.model.classes, model.classes);
  for (const [k, c] of model.classes.entries()) {
    if (want.has(c)) {
      assert.notDeepEqual(block(out.model.noise, k), block(model.noise, k), `${c} was touched: its noise is redrawn`);
    } else {
      assert.deepEqual(block(out.model.weights, k), block(model.weights, k), `${c}: weights kept`);
      assert.deepEqual(block(out.model.noise, k), block(model.noise, k), `${c}: noise kept`);
      assert.deepEqual(block(out.model.residual, k), block(model.residual, k), `${c}: residual kept`);
    }
  }
  // The certificate's figure, recomputed from the weights, rows and noise alone, is within the budget.
  const residual = recomputeResidual(out.model);
  assert.ok(Math.abs(residual - out.report.residual) <= 1e-9 + 1e-6 * residual, `${residual} vs ${out.report.residual}`);
  assert.ok(residual <= removalBudget(params), `${residual} vs ${removalBudget(params)}`);
});

test('the release lands next to retraining on the rest with its noise, which leaves the untouched classes where they were', async () => {
  const out = await removeSamples(model, ids, { noise: fixedNoise(params.sigma, model.noise.length, 4) });
  const retrained = (await trainNewton(without(s, new Set(ids)), s.centre, params, { noise: out.model.noise })).model;
  assert.ok(relativeDistance(out.model, retrained) < 1e-4, `distance ${relativeDistance(out.model, retrained)}`);
  const kept = model.classes.flatMap((c, k) => (touchedByDefinition().has(c) ? [] : [k]));
  for (const k of kept) {
    const gap = Math.hypot(...block(retrained.weights, k).map((v, i) => v - model.weights[k * D + i]));
    assert.ok(gap < 1e-6 * Math.hypot(...block(model.weights, k)), `${model.classes[k]}: retraining moved it by ${gap}`);
  }
});

test('drawn by photo instead, the same two photos touch more classes', async () => {
  const byPhoto = (await trainNewton(s, s.centre, { ...params, subsampleByLabel: 0 }, { noise: fixedNoise(params.sigma, 16 * D, 2) })).model;
  const out = await removeSamples(byPhoto, ids, { noise: 'keep' });
  const h = sampleHashes(ids, params.subsampleSeed);
  const want = byPhoto.classes.filter((c) => c === person || h.some((v) => inSubsample(v, classKey(c), params.subsample)));
  assert.equal(out.report.classesTouched, want.length);
  assert.ok(want.length >= touchedByDefinition().size, `${want.length} by photo, ${touchedByDefinition().size} by label`);
});
