import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { blobPath } from '@/lib/blobs/blob-store';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { removalBudget } from '@/lib/unlearning/budget';
import { closeClassPool } from '@/lib/unlearning/class-pool';
import { removeSamples } from '@/lib/unlearning/remove';
import { drawSecretNoise } from '@/lib/unlearning/secret-noise';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { trainNewton } from '@/lib/unlearning/train';
import { loadModelFiles, storeModelFiles } from './version-files';

setUpTestEnvironment();
after(() => closeClassPool());

const s = syntheticFaces({ identities: 10, perIdentity: 6, d: 12, seed: 8, spread: 0.7 });
const params = { lambda: 1e-3, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 0.5, subsampleSeed: 4 };

test('a version read from its blobs lies in shared memory where it was read, equals what was stored, and removes alike', async () => {
  const { model, report } = await trainNewton(s, s.centre, params, { threads: 1 });
  const stored = await storeModelFiles(model, { parentSha256: null, residual: report.residual, budget: removalBudget(params) });
  const loaded = await loadModelFiles({ files: stored.files, noiseSource: 'secret' });
  assert.equal(loaded.model.kind, 'newton-certified');
  if (loaded.model.kind !== 'newton-certified') return;
  const m = loaded.model;
  for (const k of ['weights', 'noise', 'hessians', 'residual', 'gram', 'x', 'label', 'center'] as const) {
    const a = m[k];
    assert.ok(a?.buffer instanceof SharedArrayBuffer, `${k} in shared memory`);
    assert.deepEqual(Array.from(a ?? []), Array.from(model[k] ?? []), `${k} as stored`);
  }
  assert.equal(m.rowsCache, undefined, 'the rows cache is listed by the removal that needs it');

  // Two threads list the rows of a model read from its blobs; the release is the one from the trained model.
  const ids = s.ids.filter((_, i) => s.labels[i] === s.labels[3]);
  const noise = drawSecretNoise(params.sigma, (model.classes.length - 1) * (s.d + 1));
  const warm = await removeSamples(model, ids, { noise, threads: 1 });
  const cold = await removeSamples(m, ids, { noise, threads: 2 });
  assert.deepEqual(Array.from(cold.model.weights), Array.from(warm.model.weights));
  assert.equal(cold.report.residual, warm.report.residual);
  assert.deepEqual(
    cold.model.rowsCache?.map((r) => Array.from(r)),
    warm.model.rowsCache?.map((r) => Array.from(r)),
  );
});

test('a stored file altered on disk is refused as it is read, named by its digest', async () => {
  const { model, report } = await trainNewton(s, s.centre, params, { threads: 1 });
  const stored = await storeModelFiles(model, { parentSha256: null, residual: report.residual, budget: removalBudget(params) });
  const file = blobPath(stored.files['features.f32']);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 1] ^= 1;
  fs.chmodSync(file, 0o644);
  fs.writeFileSync(file, bytes);
  await assert.rejects(loadModelFiles({ files: stored.files, noiseSource: 'secret' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'blob_corrupt');
    assert.match(err.message, new RegExp(stored.files['features.f32']));
    return true;
  });
});
