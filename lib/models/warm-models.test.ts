import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { closeClassPool } from '@/lib/unlearning/class-pool';
import { loadedOf } from '@/lib/unlearning/model-file';
import { removalBudget } from '@/lib/unlearning/budget';
import { removeSamples } from '@/lib/unlearning/remove';
import { drawSecretNoise } from '@/lib/unlearning/secret-noise';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { trainNewton } from '@/lib/unlearning/train';
import { loadModelFiles, storeModelFiles } from './version-files';
import { clearWarm, keepWarm, takeWarm } from './warm-models';

setUpTestEnvironment();
after(() => closeClassPool());

const s = syntheticFaces({ identities: 12, perIdentity: 6, d: 16, seed: 5, spread: 0.7 });
const params = { lambda: 1e-3, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 3 };

test('a model kept warm is the stored one: the same arrays as decoded from its blobs, and a removal from either releases the same model', async () => {
  const { model, report } = await trainNewton(s, s.centre, params, { threads: 1 });
  const stored = await storeModelFiles(model, { parentSha256: null, residual: report.residual, budget: removalBudget(params) });
  const fromBlobs = await loadModelFiles({ files: stored.files, noiseSource: 'secret' });
  assert.equal(fromBlobs.model.kind, 'newton-certified');
  if (fromBlobs.model.kind !== 'newton-certified') return;
  for (const k of ['weights', 'noise', 'hessians', 'residual', 'gram', 'x', 'center'] as const) {
    assert.deepEqual(Array.from(fromBlobs.model[k] ?? []), Array.from(model[k] ?? []), `${k} as stored`);
  }
  assert.deepEqual(fromBlobs.json, JSON.parse(JSON.stringify(stored.json)));

  // The same removal (the same fresh noise given to both) from the warm model and from the blobs.
  const ids = s.ids.filter((_, i) => s.labels[i] === s.labels[0]);
  const noise = drawSecretNoise(params.sigma, (model.classes.length - 1) * (s.d + 1));
  const warm = await removeSamples(model, ids, { noise, threads: 1, consume: true });
  const cold = await removeSamples(fromBlobs.model, ids, { noise, threads: 1, consume: true });
  assert.deepEqual(Array.from(warm.model.weights), Array.from(cold.model.weights));
  assert.equal(warm.report.residual, cold.report.residual);
});

test('taken once, kept by version, within a memory budget (the least recently kept go first)', async () => {
  clearWarm();
  const { model } = await trainNewton(s, s.centre, params, { threads: 1 });
  const stored = await storeModelFiles(model, { parentSha256: null, residual: 0, budget: 1 });
  const loaded = loadedOf(model, stored.json);
  const size = [model.x, model.label, model.weights, model.noise, model.hessians, model.residual, model.gram].reduce((n, a) => n + (a?.byteLength ?? 0), 0);
  keepWarm('v1', loaded, size * 2);
  keepWarm('v2', loaded, size * 2);
  keepWarm('v3', loaded, size * 2);
  assert.equal(takeWarm('v1'), null, 'the oldest went when the third came');
  assert.equal(takeWarm('v2'), loaded);
  assert.equal(takeWarm('v2'), null, 'a removal takes it: nobody else can consume it');
  assert.equal(takeWarm('v3'), loaded);
  keepWarm('big', loaded, size - 1);
  assert.equal(takeWarm('big'), null, 'a model larger than the budget is not kept');
});
