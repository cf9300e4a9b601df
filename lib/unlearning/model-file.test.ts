import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { removalBudget } from './budget';
import { UnlearningError } from './errors';
import { exactResidualVector } from './exact-residual';
import { loadModel, saveModel } from './model-file';
import { predict } from './predict';
import { noiseCommitment } from './secret-noise';
import { syntheticFaces } from './synthetic';
import { trainNewton } from './train';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-model-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const s = syntheticFaces({ identities: 5, perIdentity: 5, d: 8, spread: 0.7 });
const { model, report } = await trainNewton(s, s.centre, { lambda: 1e-3 });

test('a saved model loads back identical, its weights plain little-endian float64 and its features float32', async () => {
  const out = path.join(dir, 'v1');
  const digest = saveModel(out, model, { residual: report.residual, budget: removalBudget(model.params) });
  const { model: loaded, json } = loadModel(out);
  assert.deepEqual(loaded.weights, model.weights);
  assert.deepEqual(loaded.x, model.x);
  assert.deepEqual(loaded.label, model.label);
  assert.equal(json.files.weights.sha256, digest);
  const raw = fs.readFileSync(path.join(out, 'weights.f64'));
  assert.equal(raw.readDoubleLE(8 * 9), model.weights[9]);
  assert.ok(loaded.x instanceof Float32Array);
  assert.equal(fs.readFileSync(path.join(out, 'features.f32')).readFloatLE(4 * 10), model.x[10]);
  assert.equal(json.formatVersion, 4);
  assert.deepEqual(loaded.hessians, model.hessians, 'the step matrices, stored as lower triangles, load back to the bit');
  assert.deepEqual(predict(loaded, s), predict(model, s));
  assert.deepEqual(loaded.noise, model.noise);
  assert.deepEqual(loaded.noiseSalt, model.noiseSalt);
  assert.equal(loaded.noiseSource, 'secret');
  assert.equal(json.noise.commitment, noiseCommitment(model.noise, model.noiseSalt));
  assert.equal(json.params.subsampleSeed, model.params.subsampleSeed);
  assert.equal('seed' in json.params, false, 'no noise seed is written');
});

test('a version-1 model (noise from a seed) loads as seeded, its seed read as the subsample seed', async () => {
  const out = path.join(dir, 'legacy');
  saveModel(out, model, { residual: report.residual, budget: removalBudget(model.params) });
  const j = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
  const { subsampleSeed, ...params } = j.params;
  const { noiseSalt: _salt, ...files } = j.files;
  fs.rmSync(path.join(out, 'noise-salt.bin'));
  fs.writeFileSync(
    path.join(out, 'model.json'),
    JSON.stringify({ ...j, formatVersion: 1, noise: undefined, files, params: { ...params, seed: subsampleSeed } }),
  );
  const { model: loaded, json } = loadModel(out);
  assert.equal(loaded.noiseSource, 'seeded');
  assert.equal(json.noise.commitment, null);
  assert.equal(loaded.params.subsampleSeed, subsampleSeed);
  assert.deepEqual(loaded.weights, model.weights);
});

test('a changed byte, a missing file or an unknown format version is refused with its reason', async () => {
  const out = path.join(dir, 'v2');
  saveModel(out, model, { residual: report.residual, budget: removalBudget(model.params) });
  const f = path.join(out, 'hessians-lower.f64');
  const buf = fs.readFileSync(f);
  buf[100] ^= 1;
  fs.writeFileSync(f, buf);
  assert.throws(
    () => loadModel(out),
    (e: unknown) => e instanceof UnlearningError && e.code === 'model_corrupt' && /hessians-lower\.f64/.test(e.message),
  );
  fs.rmSync(f);
  assert.throws(() => loadModel(out), /missing/);
  const j = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
  fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify({ ...j, formatVersion: 5 }));
  assert.throws(
    () => loadModel(out),
    (e: unknown) => e instanceof UnlearningError && e.code === 'model_unsupported',
  );
});

test('a version-2 model (float64 features) loads rounded to float32, its residual computed again on them', async () => {
  const out = path.join(dir, 'float64-features');
  saveModel(out, model, { residual: report.residual, budget: removalBudget(model.params) });
  const j = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
  // Values a float32 cannot hold, as version 2's float64 preprocessing wrote them.
  const x64 = Float64Array.from(model.x, (v, i) => v * (1 + (i % 7) * 1e-7));
  const bytes = Buffer.from(x64.buffer);
  fs.rmSync(path.join(out, 'features.f32'));
  fs.writeFileSync(path.join(out, 'features.f64'), bytes);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const features = { file: 'features.f64', sha256, bytes: bytes.length };
  fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify({ ...j, formatVersion: 2, files: { ...j.files, features } }));
  const { model: loaded } = loadModel(out);
  assert.deepEqual(loaded.x, Float32Array.from(x64));
  assert.notDeepEqual(loaded.x, model.x);
  assert.deepEqual(loaded.residual, exactResidualVector(loaded), 'the residual of the features as loaded');
  assert.notDeepEqual(loaded.residual, model.residual);
  assert.equal(loaded.hessiansExact, false);
  assert.deepEqual(loaded.weights, model.weights);
});

test('a version-3 model (full step matrices) still loads; version 4 stores half of them, the lower triangles', async () => {
  const out = path.join(dir, 'full-hessians');
  saveModel(out, model, { residual: report.residual, budget: removalBudget(model.params) });
  const j = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
  const K = model.classes.length;
  const D = model.d + 1;
  assert.equal(j.files.hessians.bytes, (K * D * (D + 1) * 8) / 2);
  const full = Buffer.from(model.hessians!.buffer, model.hessians!.byteOffset, model.hessians!.byteLength);
  fs.rmSync(path.join(out, 'hessians-lower.f64'));
  fs.writeFileSync(path.join(out, 'hessians.f64'), full);
  const sha256 = crypto.createHash('sha256').update(full).digest('hex');
  const hessians = { file: 'hessians.f64', sha256, bytes: full.length };
  fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify({ ...j, formatVersion: 3, files: { ...j.files, hessians } }));
  const { model: loaded, json } = loadModel(out);
  assert.equal(json.formatVersion, 3);
  assert.deepEqual(loaded.hessians, model.hessians);
  assert.equal(loaded.hessiansExact, model.hessiansExact);
});
