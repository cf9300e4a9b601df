import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { and, desc, eq, sql } from 'drizzle-orm';
import * as embeddingModelsRoute from '@/app/api/v1/embedding-models/route';
import * as featuresRoute from '@/app/api/v1/datasets/[datasetId]/features/route';
import * as modelsRoute from '@/app/api/v1/models/route';
import { getDb } from '@/db/client';
import { certificates, datasetItems, faces, itemFeatures, modelVersions } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { getBundle } from '@/lib/certificates/get-bundle';
import { verifyBundle, type Jwk } from '@/lib/certificates/verify-bundle';
import { getJwks } from '@/lib/crypto/get-jwks';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { runTraining } from '@/lib/models/train-job';
import { holdoutData } from '@/lib/models/training-data';
import { loadModelFiles } from '@/lib/models/version-files';
import { CONSENT_VERSION } from '@/lib/removals/consent';
import { runCertify } from '@/lib/removals/certify-job';
import { runMatching, startMatching } from '@/lib/removals/matching';
import { addReference } from '@/lib/removals/references';
import { getReview } from '@/lib/removals/review';
import { startRequest } from '@/lib/removals/start-request';
import { submitRequest } from '@/lib/removals/submit-request';
import { runUnlearning } from '@/lib/removals/unlearn-job';
import { callRoute } from '@/lib/testing/call-route';
import { chunked } from '@/lib/testing/chunked-body';
import { createDataset } from '@/lib/datasets/create-dataset';
import { registerEmbeddingModel } from './embedding-models';
import { featureSourceOf } from './partner-samples';
import { npyHeaderBytes } from '@/lib/cli/partner-import-features';
import { partnerVector } from '@/lib/testing/partner-vectors';
import { approveIdentityByOperator, partnerWithModel, reference } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

setUpTestEnvironment();
after(() => closeThreadPool());

const SCOPES = ['datasets:read', 'datasets:write', 'models:read', 'models:write'] as const;
const STATEMENT = 'A random projection of forgetme descriptors, made for this test; it saw no training set.';

/** The dataset's embedded items with the partner's 512-d vector of each (partnerVector of its largest face's descriptor). */
async function itemVectors(datasetId: string) {
  const db = await getDb();
  const rows = await db
    .selectDistinctOn([faces.itemId], { externalId: datasetItems.externalId, label: datasetItems.label, embedding: faces.embedding })
    .from(faces)
    .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
    .where(eq(faces.datasetId, datasetId))
    .orderBy(faces.itemId, desc(sql`${faces.box}[3] * ${faces.box}[4]`));
  return rows.map((r) => ({ id: r.externalId, label: r.label, vector: partnerVector(r.embedding) }));
}

const jsonLines = (rows: { id: string; vector: ArrayLike<number> }[]) => rows.map((r) => JSON.stringify({ id: r.id, vector: Array.from(r.vector) })).join('\n');

function featuresForm(embeddingModelId: string, features: Buffer | string, ids?: string[]) {
  const form = new FormData();
  form.append('embeddingModelId', embeddingModelId);
  form.append('features', new Blob([typeof features === 'string' ? features : new Uint8Array(features)]), 'features');
  if (ids) form.append('ids', new Blob([ids.join('\n')]), 'ids.txt');
  return form;
}

function npy(rows: { vector: Float32Array }[]): Buffer {
  const data = Buffer.alloc(rows.length * 512 * 4);
  rows.forEach((r, i) => r.vector.forEach((v, j) => data.writeFloatLE(v, (i * 512 + j) * 4)));
  return Buffer.concat([npyHeaderBytes(4, rows.length, 512), data]);
}

describeEachDriver("a partner's own embeddings", () => {
  test('registered, imported (JSON lines and .npy, every bad vector named), trained on, one identity removed, certified', async () => {
    const { org, ds, model: faceModel } = await partnerWithModel();
    const orgId = org.organization.id;
    const { key } = await createApiKey({ actorUserId: org.admin.id, organizationId: orgId, input: { name: 'byo', scopes: [...SCOPES] } });
    const register = (json: unknown) => callRoute(embeddingModelsRoute.POST, { path: '/embedding-models', key, json });

    // Registration: bounds and text checked; the same registration twice is one model; another under its name and version is a conflict.
    const body = { name: 'stand-in-net', version: '1', dimension: 512, trainingData: STATEMENT };
    assert.equal((await register({ ...body, dimension: 32 })).status, 422);
    assert.equal((await register({ ...body, name: 'a\u0000b' })).status, 422);
    assert.equal((await register({ ...body, trainingData: 'short' })).status, 422);
    const created = await register(body);
    assert.equal(created.status, 201);
    const { embeddingModel } = await created.json();
    const again = await register(body);
    assert.equal(again.status, 200);
    assert.equal((await again.json()).embeddingModel.id, embeddingModel.id);
    assert.equal((await register({ ...body, dimension: 256 })).status, 409);

    const upload = (form: FormData, k = key, datasetId = ds.id) =>
      callRoute(featuresRoute.POST, { path: `/datasets/${datasetId}/features`, key: k, params: { datasetId }, form });
    const coverage = async () =>
      (
        await callRoute(featuresRoute.GET, {
          path: `/datasets/${ds.id}/features?embeddingModelId=${embeddingModel.id}`,
          key,
          params: { datasetId: ds.id },
        })
      ).json();
    const items = await itemVectors(ds.id);
    assert.ok(items.length >= 20, `${items.length} items`);
    const before = await coverage();
    assert.deepEqual([before.items, before.withVector, before.withoutVector], [items.length, 0, items.length]);

    // A model on vectors the items do not have yet is refused, the items named.
    const newModel = (embeddingModelId: string) =>
      callRoute(modelsRoute.POST, {
        path: '/models',
        key,
        json: { name: 'Their head', datasetId: ds.id, kind: 'newton-certified', embeddingModelId, params: { lambda: 1e-4, sigma: 0.01, subsampleSeed: 5 } },
      });
    const early = await newModel(embeddingModel.id);
    assert.equal(early.status, 422);
    assert.match((await early.json()).error.message, new RegExp(`${items.length} of the dataset's ${items.length} items have no vector`));

    // Every bad vector refuses the whole upload, each named by line and item; nothing is stored.
    const good = jsonLines(items.slice(0, 3));
    const bad = [
      good,
      JSON.stringify({ id: items[3].id, vector: [1, 2, 3] }),
      `{"id": "${items[4].id}", "vector": [${Array(511).fill(0.1).join(',')}, 1e400]}`,
      JSON.stringify({ id: items[5].id, vector: Array(512).fill(0) }),
      JSON.stringify({ id: 'no-such-item', vector: Array(512).fill(0.1) }),
      JSON.stringify({ id: items[0].id, vector: Array(512).fill(0.1) }),
      'not json',
    ].join('\n');
    const refused = await upload(featuresForm(embeddingModel.id, bad));
    assert.equal(refused.status, 422);
    const { error } = await refused.json();
    assert.deepEqual(
      error.details.refusals.map((r: { line: number; externalId: string | null; code: string }) => [r.line, r.externalId, r.code]),
      [
        [4, items[3].id, 'wrong_dimension'],
        [5, items[4].id, 'not_finite'],
        [6, items[5].id, 'zero_vector'],
        [8, items[0].id, 'duplicate_item'],
        [9, null, 'bad_line'],
      ],
    );
    const unknown = await upload(featuresForm(embeddingModel.id, JSON.stringify({ id: 'no-such-item', vector: Array(512).fill(0.1) })));
    assert.equal((await unknown.json()).error.details.refusals[0].code, 'unknown_item');
    assert.equal((await coverage()).withVector, 0, 'nothing stored');

    // Another organisation can neither use this embedding model nor read this dataset's coverage.
    const other = await seedPartner();
    const otherKey = (await createApiKey({ actorUserId: other.admin.id, organizationId: other.organization.id, input: { name: 'b', scopes: [...SCOPES] } }))
      .key;
    assert.equal((await upload(featuresForm(embeddingModel.id, good), otherKey)).status, 404);

    // Half as JSON lines, half as a .npy array with its ids; sent again, nothing changes; a different vector is refused.
    const half = Math.floor(items.length / 2);
    const first = await (await upload(featuresForm(embeddingModel.id, jsonLines(items.slice(0, half))))).json();
    assert.deepEqual([first.received, first.stored, first.unchanged], [half, half, 0]);
    const rest = items.slice(half);
    const second = await upload(
      featuresForm(
        embeddingModel.id,
        npy(rest),
        rest.map((r) => r.id),
      ),
    );
    assert.equal(second.status, 200, JSON.stringify(await second.clone().json()));
    assert.equal((await second.json()).stored, rest.length);
    const resent = await (await upload(featuresForm(embeddingModel.id, jsonLines(items.slice(0, half))))).json();
    assert.deepEqual([resent.stored, resent.unchanged], [0, half]);
    const changed = [{ id: items[0].id, vector: items[1].vector }];
    const conflict = await upload(featuresForm(embeddingModel.id, jsonLines(changed)));
    assert.equal((await conflict.json()).error.details.refusals[0].code, 'conflicting_vector');
    const after = await coverage();
    assert.deepEqual([after.withVector, after.withoutVector, after.missing.length], [items.length, 0, 0]);
    const db = await getDb();
    const stored = await db.select().from(itemFeatures).where(eq(itemFeatures.embeddingModelId, embeddingModel.id));
    assert.ok(stored.every((r) => r.vector.length === 512 * 4));

    // Trained on the partner's 512-d vectors.
    const accepted = await newModel(embeddingModel.id);
    assert.equal(accepted.status, 202);
    const { model } = await accepted.json();
    assert.equal(model.embeddingModelId, embeddingModel.id);
    await runTraining(model.id);
    const [v1] = await db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, 1)));
    const head = (await loadModelFiles(v1)).model;
    assert.equal(head.d, 512);
    // Items are held out by the hash of their (random) ids: a small set may hold none out, and then has no accuracy.
    const holdout = await holdoutData(ds.id, await featureSourceOf({ embeddingModelId: embeddingModel.id }));
    if (holdout.ids.length) assert.ok(v1.accuracy !== null && v1.accuracy > 0.5, `held-out accuracy ${v1.accuracy} on ${holdout.ids.length} items`);
    else assert.equal(v1.accuracy, null, 'no item held out, no accuracy');

    // One person found by forgetme's own descriptor, removed from both models, one certificate naming each model's features.
    const person = await seedIndividual();
    const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
    for (const i of [0, 1]) assert.ok((await addReference({ userId: person.id, requestId: req.id, bytes: reference('Abdullah_Gul', i) })).ok);
    await approveIdentityByOperator(person.id, req.id);
    await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.1' });
    await runMatching(req.id);
    const review = await getReview(person.id, req.id);
    const confirmedMatchIds = review[0].shown.map((s) => s.matchId);
    assert.equal((await submitRequest({ userId: person.id, requestId: req.id, input: { confirmedMatchIds, includePossible: true, attest: true } })).models, 2);
    await runUnlearning(faceModel.id);
    await runUnlearning(model.id);
    await runCertify(req.id);
    const [v2] = await db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, 2)));
    assert.equal((v2.report as { identityTest: number }).identityTest, 0, "the partner's head no longer names the person on the removed photos");
    const [cert] = await db.select().from(certificates).where(eq(certificates.requestId, req.id));
    const v = verifyBundle(JSON.parse(JSON.stringify(await getBundle(cert.id))), (await getJwks()) as { keys: Jwk[] });
    assert.ok(v.ok, JSON.stringify(v.checks));
    const byModel = new Map(v.predicate!.models.map((m) => [m.modelId, m]));
    assert.deepEqual(byModel.get(model.id)!.features, { source: 'partner', name: 'stand-in-net', version: '1', dimension: 512, trainingData: STATEMENT });
    assert.equal(byModel.get(faceModel.id)!.features?.source, 'forgetme');
    assert.equal(byModel.get(model.id)!.after.version, 2);
    const m = byModel.get(model.id)!;
    if (m.method === 'newton-certified') assert.ok(m.guarantee.residual! <= m.guarantee.residualBound!);
    assert.match(v.predicate!.scope, /the partner’s own embedding network/);
  });

  test('a chunked features upload over the limit is refused while it is read, holding no more than the limit', async () => {
    const org = await seedPartner();
    const actor = { type: 'user', id: org.admin.id } as const;
    const organizationId = org.organization.id;
    const ds = await createDataset({ organizationId, actor, input: { name: 'd', description: '' } });
    const input = { name: 'n', version: '1', dimension: 64, trainingData: STATEMENT };
    const { embeddingModel } = await registerEmbeddingModel({ organizationId, actor, input });
    const { key } = await createApiKey({ actorUserId: org.admin.id, organizationId, input: { name: 'k', scopes: [...SCOPES] } });
    const boundary = 'x-forgetme-features';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="embeddingModelId"\r\n\r\n${embeddingModel.id}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="features"; filename="f.jsonl"\r\n\r\n`,
    );
    const request = new Request(`http://localhost/api/v1/datasets/${ds.id}/features`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: chunked([head, { bytes: 200 * 2 ** 20, fill: 0x20 }, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      duplex: 'half',
    } as RequestInit);
    const rss = process.memoryUsage().rss;
    const res = await featuresRoute.POST(request, { params: Promise.resolve({ datasetId: ds.id }) });
    assert.equal(res.status, 413);
    assert.match((await res.json()).error.message, /16 MB/);
    assert.ok(process.memoryUsage().rss - rss < 150 * 2 ** 20, 'not the 200 MB sent');
    const db = await getDb();
    assert.equal((await db.select().from(itemFeatures).where(eq(itemFeatures.embeddingModelId, embeddingModel.id))).length, 0);
  });
});
