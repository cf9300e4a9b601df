import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, datasetItems, datasets, faces, modelVersions, webhookEvents } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { blobPath, putBlob } from '@/lib/blobs/blob-store';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { legacySeededNoise } from '@/lib/unlearning/legacy-seeded-noise';
import { saveModel } from '@/lib/unlearning/model-file';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { toSharedF64 } from '@/lib/unlearning/shared';
import { fitClasses, range } from '@/lib/unlearning/train';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { createModel } from './create-model';
import { getModel, getVersionManifest, listVersions, openWeights } from './get-models';
import { renoiseModel, seededModels } from './renoise-model';
import { runTraining } from './train-job';
import { loadModelFiles } from './version-files';

setUpTestEnvironment();

/** A partner with a trained model on a synthetic set (descriptor-shaped, placed around the public centre). */
async function partnerModel() {
  const db = await getDb();
  const org = await seedPartner();
  const actor = { type: 'user', id: org.admin.id } as const;
  const [ds] = await db.insert(datasets).values({ organizationId: org.organization.id, name: 'synthetic' }).returning();
  const s = syntheticFaces({ identities: 12, perIdentity: 6, seed: 5 });
  const rows = s.ids.map((id, i) => ({ id: crypto.randomUUID(), externalId: id, label: s.labels[i], x: Array.from(s.x.subarray(i * 128, (i + 1) * 128)) }));
  await db.insert(datasetItems).values(
    rows.map((r) => ({
      id: r.id,
      datasetId: ds.id,
      externalId: r.externalId,
      label: r.label,
      sha256: crypto.randomBytes(32).toString('hex'),
      status: 'embedded' as const,
    })),
  );
  await db
    .insert(faces)
    .values(
      rows.map((r) => ({ itemId: r.id, datasetId: ds.id, faceIndex: 0, box: [0, 0, 100, 100], score: 0.9, embedding: r.x, embeddingModel: EMBEDDING_MODEL })),
    );
  const model = await createModel({
    organizationId: org.organization.id,
    actor,
    input: { name: 'Head', datasetId: ds.id, kind: 'newton-certified', params: { lambda: 1e-3, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1 } },
  });
  await runTraining(model.id);
  return { org, model };
}

/** Everything the partner can read of its model: API views, the public manifest, the weights, its audit events and webhooks. */
async function partnerView(organizationId: string, modelId: string): Promise<string> {
  const db = await getDb();
  const versions = await listVersions(organizationId, modelId);
  const parts: unknown[] = [await getModel(organizationId, modelId), versions];
  for (const v of versions) {
    parts.push(await getVersionManifest(organizationId, modelId, v.version));
    const w = await openWeights(organizationId, modelId, v.version);
    w.stream.destroy();
    parts.push(fs.readFileSync(blobPath(w.sha256)).toString('base64'));
  }
  parts.push(await db.select().from(auditEvents).where(eq(auditEvents.organizationId, organizationId)));
  parts.push(await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, organizationId)));
  return JSON.stringify(parts);
}

describeEachDriver('secret noise', () => {
  test('nothing a partner reads holds the noise or a seed it could be recomputed from', async () => {
    const { org, model } = await partnerModel();
    const db = await getDb();
    const [v] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    assert.equal(v.noiseSource, 'secret');
    const loaded = await loadModelFiles(v);
    assert.equal(loaded.model.kind, 'newton-certified');
    const noise = loaded.model.kind === 'newton-certified' ? loaded.model.noise : new Float64Array();
    const bytes = Buffer.from(noise.buffer, noise.byteOffset, noise.byteLength);

    const seen = await partnerView(org.organization.id, model.id);
    assert.doesNotMatch(seen, /"seed"/, 'no seed in any response, event or webhook');
    for (const chunk of [bytes.subarray(0, 24), bytes.subarray(800, 824)]) {
      assert.equal(seen.includes(chunk.toString('hex')), false);
      assert.equal(seen.includes(chunk.toString('base64').slice(0, 30)), false);
    }
    assert.equal(seen.includes(String(noise[0])), false, 'no noise value in decimal');
    // The attack that worked before: every integer the partner can read, tried as the old seed.
    const { classes, d } = loaded.model;
    const integers = [...new Set(seen.match(/\d{1,10}/g) ?? [])].map(Number).filter((n) => n < 2 ** 32);
    assert.ok(integers.length > 50);
    for (const seed of integers) {
      const guess = legacySeededNoise(seed, 0.01, classes.slice(0, 1), d + 1);
      assert.notDeepEqual(guess, noise.slice(0, d + 1), `seed ${seed} reproduces b`);
    }
    // At rest the noise file is sealed: its bytes are not in the stored blob.
    const stored = fs.readFileSync(blobPath(v.files['noise.f64']));
    assert.equal(stored.includes(bytes.subarray(0, 64)), false);
  });

  test('a model with seeded noise is re-noised once: a new version, announced, on fresh secret noise', async () => {
    const { org, model } = await partnerModel();
    const db = await getDb();
    const [v1] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    // A version as the platform made them before: noise from a readable seed, stored plain.
    const legacy = await loadModelFiles(v1);
    assert.equal(legacy.model.kind, 'newton-certified');
    if (legacy.model.kind !== 'newton-certified') return;
    const m = legacy.model;
    m.noise = toSharedF64(legacySeededNoise(42, m.params.sigma, m.classes, m.d + 1));
    m.noiseSalt = new Uint8Array(0);
    m.noiseSource = 'seeded';
    await fitClasses(m, range(m.classes.length));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-legacy-'));
    saveModel(path.join(dir, 'm'), m, { residual: 0, budget: 1 });
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(path.join(dir, 'm'))) files[f] = (await putBlob(fs.readFileSync(path.join(dir, 'm', f)))).sha256;
    fs.rmSync(dir, { recursive: true, force: true });
    await db
      .insert(modelVersions)
      .values({ ...v1, id: crypto.randomUUID(), version: 2, parentId: v1.id, reason: 'retrain', noiseSource: 'seeded', files, createdAt: new Date() });

    assert.ok((await seededModels()).includes(model.id));
    assert.equal(await renoiseModel(model.id), true);
    assert.equal(await renoiseModel(model.id), false, 'idempotent');
    assert.equal((await seededModels()).includes(model.id), false);
    const [latest] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id)).orderBy(desc(modelVersions.version)).limit(1);
    assert.equal(latest.version, 3);
    assert.equal(latest.reason, 'renoise');
    assert.equal(latest.noiseSource, 'secret');
    const renoised = await loadModelFiles(latest);
    assert.ok(renoised.model.kind === 'newton-certified' && renoised.model.noiseSource === 'secret');
    if (renoised.model.kind === 'newton-certified') assert.notDeepEqual(Float64Array.from(renoised.model.noise), Float64Array.from(m.noise));
    const views = await listVersions(org.organization.id, model.id);
    assert.equal(views[0].reason, 'renoise', 'the partner sees why');
    const hooks = await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, org.organization.id));
    assert.ok(hooks.some((h) => h.type === 'model.version_created' && h.data.reason === 'renoise'));
  });
});
