import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import * as datasetRoutes from '@/app/api/v1/datasets/route';
import * as datasetRoute from '@/app/api/v1/datasets/[datasetId]/route';
import * as itemsRoute from '@/app/api/v1/datasets/[datasetId]/items/route';
import * as uploadsRoute from '@/app/api/v1/datasets/[datasetId]/uploads/route';
import * as uploadRoute from '@/app/api/v1/datasets/[datasetId]/uploads/[uploadId]/route';
import * as modelsRoute from '@/app/api/v1/models/route';
import * as modelRoute from '@/app/api/v1/models/[modelId]/route';
import * as manifestRoute from '@/app/api/v1/models/[modelId]/versions/[version]/model.json/route';
import * as weightsRoute from '@/app/api/v1/models/[modelId]/versions/[version]/weights/route';
import * as deployRoute from '@/app/api/v1/models/[modelId]/versions/[version]/deployment/route';
import * as endpointsRoute from '@/app/api/v1/webhooks/endpoints/route';
import * as openapiRoute from '@/app/api/v1/openapi.json/route';
import { getDb } from '@/db/client';
import { faces } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { revokeApiKey } from '@/lib/api-keys/revoke-api-key';
import { closeThreadPool, getThreadPool } from '@/lib/jobs/thread-pool';
import { runTraining } from '@/lib/models/train-job';
import { callRoute } from '@/lib/testing/call-route';
import { makeZip } from '@/lib/testing/make-zip';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { startWebhookReceiver } from '@/lib/testing/webhook-receiver';
import { deliverDue } from '@/lib/webhooks/deliver';
import { runIngest } from './ingest-job';

setUpTestEnvironment();
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = '1';

const FIX = path.resolve('lib/faces/fixtures');
const photo = (f: string) => fs.readFileSync(path.join(FIX, f));
const BASE = 'http://localhost/api/v1';
const call = callRoute;

function uploadForm(manifest: string, archive?: Buffer, files?: [string, Buffer][]) {
  const form = new FormData();
  form.append('manifest', new Blob([manifest], { type: 'text/csv' }), 'manifest.csv');
  if (archive) form.append('archive', new Blob([new Uint8Array(archive)], { type: 'application/zip' }), 'images.zip');
  for (const [name, data] of files ?? []) form.append('files', new Blob([new Uint8Array(data)]), name);
  return form;
}

const MANIFEST = [
  'external_id,label,file',
  'gul-1,Abdullah Gul,gul/1.jpg',
  'gul-4,Abdullah Gul,gul/4.jpg',
  'brody-1,Adrien Brody,brody/1.jpg',
  'brody-2,Adrien Brody,brody/2.jpg',
  'brody-3,Adrien Brody,brody/3.jpg',
  'att-1,s1,att/1.png',
  'broken,s1,bad/corrupt.jpg',
  'text,s1,bad/notes.txt',
].join('\n');

function archive() {
  return makeZip([
    { name: 'gul/1.jpg', data: photo('Abdullah_Gul_0001.jpg') },
    { name: 'gul/4.jpg', data: photo('Abdullah_Gul_0004.jpg') },
    { name: 'brody/1.jpg', data: photo('Adrien_Brody_0001.jpg') },
    { name: 'brody/2.jpg', data: photo('Adrien_Brody_0002.jpg') },
    { name: 'brody/3.jpg', data: photo('Adrien_Brody_0003.jpg') },
    { name: 'att/1.png', data: photo('att-s1-1.png') },
    { name: 'bad/corrupt.jpg', data: Buffer.concat([photo('Adrien_Brody_0001.jpg').subarray(0, 200), crypto.randomBytes(500)]) },
    { name: 'bad/notes.txt', data: Buffer.from('not an image') },
  ]);
}

after(() => closeThreadPool());

describeEachDriver('partner API: datasets, uploads, models', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(() => receiver.close());

  const ROUND_TRIP =
    'a partner registers a dataset, uploads a zip, gets per-item errors and a signed dataset.ingested, trains a model and downloads its weights';
  test(ROUND_TRIP, async () => {
    const a = await seedPartner();
    const { key } = await createApiKey({
      actorUserId: a.admin.id,
      organizationId: a.organization.id,
      input: { name: 'ci', scopes: ['datasets:read', 'datasets:write', 'models:read', 'models:write', 'webhooks:write'] },
    });
    const ep = await call(endpointsRoute.POST, {
      path: '/webhooks/endpoints',
      key,
      json: { url: receiver.url, events: ['dataset.ingested', 'model.trained'] },
    });
    assert.equal(ep.status, 201);
    receiver.setSecret((await ep.json()).secret);

    // Idempotency: the same POST with the same key answers the same dataset once.
    const create = () => call(datasetRoutes.POST, { path: '/datasets', key, json: { name: 'Faces 2026' }, headers: { 'idempotency-key': 'create-1' } });
    const first = await create();
    assert.equal(first.status, 201);
    const { dataset } = await first.json();
    const again = await create();
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await again.json()).dataset.id, dataset.id);
    const clash = await call(datasetRoutes.POST, { path: '/datasets', key, json: { name: 'Other' }, headers: { 'idempotency-key': 'create-1' } });
    assert.equal(clash.status, 409);
    assert.equal((await (await call(datasetRoutes.GET, { path: '/datasets', key })).json()).data.length, 1);

    const p = { datasetId: dataset.id };
    const up = await call(uploadsRoute.POST, { path: `/datasets/${dataset.id}/uploads`, key, params: p, form: uploadForm(MANIFEST, archive()) });
    assert.equal(up.status, 202, await up.clone().text());
    const { upload } = await up.json();
    assert.deepEqual([upload.total, upload.created, upload.status], [8, 8, 'queued']);

    await runIngest(upload.id, { threads: getThreadPool() });
    const done = (
      await (await call(uploadRoute.GET, { path: `/datasets/${dataset.id}/uploads/${upload.id}`, key, params: { ...p, uploadId: upload.id } })).json()
    ).upload;
    assert.deepEqual([done.status, done.processed, done.failed, done.progress], ['completed', 8, 2, 1]);
    const failed = (await (await call(itemsRoute.GET, { path: `/datasets/${dataset.id}/items?status=failed`, key, params: p })).json()).data;
    assert.deepEqual(Object.fromEntries(failed.map((i: { externalId: string; error: { code: string } }) => [i.externalId, i.error.code])), {
      broken: 'corrupt_image',
      text: 'unsupported_type',
    });
    const view = (await (await call(datasetRoute.GET, { path: `/datasets/${dataset.id}`, key, params: p })).json()).dataset;
    assert.deepEqual(view.items, { total: 8, pending: 0, embedded: 6, failed: 2, removed: 0 });
    assert.equal(view.identities, 3);
    // Every stored face has its cohort distance (the matcher's normalisation) from the ingest.
    const stored = await (await getDb()).select({ d: faces.cohortDistance }).from(faces).where(eq(faces.datasetId, dataset.id));
    assert.ok(stored.length >= 6 && stored.every((f) => f.d !== null && f.d > 0.2 && f.d < 1.2), JSON.stringify(stored));

    // Re-running the same import creates nothing.
    const rerun = (
      await (await call(uploadsRoute.POST, { path: `/datasets/${dataset.id}/uploads`, key, params: p, form: uploadForm(MANIFEST, archive()) })).json()
    ).upload;
    assert.deepEqual([rerun.created, rerun.skipped.length, rerun.status], [0, 8, 'completed']);

    // Items paginate with a cursor, without repeats.
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const pageJson = (await (await call(itemsRoute.GET, { path: `/datasets/${dataset.id}/items${q}`, key, params: p })).json()) as {
        data: { id: string }[];
        nextCursor: string | null;
      };
      for (const i of pageJson.data) seen.add(i.id);
      cursor = pageJson.nextCursor;
    } while (cursor);
    assert.equal(seen.size, 8);

    const seeded = await call(modelsRoute.POST, {
      path: '/models',
      key,
      json: { name: 'Head v1', datasetId: dataset.id, kind: 'newton-certified', params: { seed: 7 } },
    });
    assert.equal(seeded.status, 422, 'a partner cannot choose the noise');
    const refusal = (await seeded.json()).error;
    assert.equal(refusal.code, 'validation_failed');
    assert.match(JSON.stringify(refusal), /seed is not accepted/);
    const byWhat = await call(modelsRoute.POST, {
      path: '/models',
      key,
      json: { name: 'Head v1', datasetId: dataset.id, kind: 'newton-certified', params: { subsample: 0.5, subsampleByLabel: 2 } },
    });
    assert.equal(byWhat.status, 422, 'subsampleByLabel is 0 or 1');
    assert.match(JSON.stringify((await byWhat.json()).error), /subsampleByLabel/);
    const m = await call(modelsRoute.POST, {
      path: '/models',
      key,
      json: { name: 'Head v1', datasetId: dataset.id, kind: 'newton-certified', params: { subsampleSeed: 7 } },
    });
    assert.equal(m.status, 202, await m.clone().text());
    const { model } = await m.json();
    assert.equal(model.status, 'training');
    await runTraining(model.id);
    const trained = (await (await call(modelRoute.GET, { path: `/models/${model.id}`, key, params: { modelId: model.id } })).json()).model;
    assert.equal(trained.status, 'ready');
    assert.equal(trained.latestVersion.version, 1);
    assert.equal(trained.latestVersion.reason, 'trained');
    const vp = { modelId: model.id, version: '1' };
    const manifest = await (await call(manifestRoute.GET, { path: `/models/${model.id}/versions/1/model.json`, key, params: vp })).json();
    assert.equal(manifest.seed, undefined);
    assert.equal(manifest.params.seed, undefined, 'there is no noise seed to publish');
    assert.equal(manifest.params.subsampleSeed, 7, 'the public subsample seed is');
    assert.equal(manifest.noise, undefined, 'nor the noise commitment in the public manifest');
    assert.equal(manifest.center.length, 128);
    const w = await call(weightsRoute.GET, { path: `/models/${model.id}/versions/1/weights`, key, params: vp });
    const bytes = Buffer.from(await w.arrayBuffer());
    assert.equal(bytes.length, manifest.K * 129 * 8);
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), w.headers.get('x-weights-sha256'));
    assert.equal(manifest.weights.sha256, w.headers.get('x-weights-sha256'));
    const unsigned = await call(deployRoute.POST, { path: `/models/${model.id}/versions/1/deployment`, key, params: vp, json: {} });
    assert.equal(unsigned.status, 422, 'an acknowledgement is a signed envelope (lib/deployments/deployments.test.ts)');

    // Another organisation's key gets nothing of this model, its versions or weights.
    const b = await seedPartner();
    const kb = (
      await createApiKey({
        actorUserId: b.admin.id,
        organizationId: b.organization.id,
        input: { name: 'b', scopes: ['models:read', 'models:write', 'requests:read'] },
      })
    ).key;
    for (const [h, pth] of [
      [modelRoute.GET, `/models/${model.id}`],
      [manifestRoute.GET, `/models/${model.id}/versions/1/model.json`],
      [weightsRoute.GET, `/models/${model.id}/versions/1/weights`],
    ] as const)
      assert.equal((await call(h, { path: pth, key: kb, params: vp })).status, 404, pth);
    assert.equal((await call(deployRoute.GET, { path: `/models/${model.id}/versions/1/deployment`, key: kb, params: vp })).status, 404);
    assert.deepEqual((await (await call(modelsRoute.GET, { path: '/models', key: kb })).json()).data, []);
    assert.equal(
      (
        await call(modelRoute.GET, {
          path: `/models/${model.id}`,
          key: (await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'd', scopes: ['datasets:read'] } })).key,
          params: vp,
        })
      ).status,
      403,
      'scope models:read is needed',
    );

    // Delivered at once by the emitting process; the sweep would catch anything missed.
    for (let i = 0; i < 100 && receiver.received.length < 2; i++) {
      await deliverDue();
      await new Promise((r) => setTimeout(r, 50));
    }
    const events = receiver.received.filter((r) => r.verified).map((r) => r.payload!.type);
    assert.deepEqual(events.sort(), ['dataset.ingested', 'model.trained']);
    const ingested = receiver.received.find((r) => r.payload?.type === 'dataset.ingested')!;
    assert.deepEqual(ingested.payload!.data, { datasetId: dataset.id, ingestId: upload.id, items: 8, embedded: 6, failed: 2, skipped: 0 });
  });

  test('bad uploads are refused whole: a missing file, ../ paths, a 10 GB declaration, a non-zip, a bad manifest', async () => {
    const a = await seedPartner();
    const { key } = await createApiKey({
      actorUserId: a.admin.id,
      organizationId: a.organization.id,
      input: { name: 'ci', scopes: ['datasets:read', 'datasets:write'] },
    });
    const { dataset } = await (await call(datasetRoutes.POST, { path: '/datasets', key, json: { name: 'x' } })).json();
    const p = { datasetId: dataset.id };
    const post = (form: FormData, headers?: Record<string, string>) =>
      call(uploadsRoute.POST, { path: `/datasets/${dataset.id}/uploads`, key, params: p, form, headers });
    const expect = async (res: Response, status: number, pattern: RegExp) => {
      const body = await res.json();
      assert.equal(res.status, status, JSON.stringify(body));
      assert.match(body.error.message, pattern);
    };
    const img = photo('Adrien_Brody_0001.jpg');
    await expect(
      await post(uploadForm('external_id,label,file\na,A,a.jpg\nb,B,missing.jpg', makeZip([{ name: 'a.jpg', data: img }]))),
      422,
      /not in the upload: missing\.jpg/,
    );
    await expect(await post(uploadForm('external_id,label,file\na,A,../a.jpg', makeZip([{ name: '../a.jpg', data: img }]))), 422, /unsafe path/);
    const huge = makeZip([1, 2, 3].map((i) => ({ name: `big${i}.jpg`, data: Buffer.alloc(1000), declaredSize: 3_600_000_000 })));
    const bomb = await post(uploadForm('external_id,label,file\na,A,big1.jpg', huge));
    assert.ok([413, 422].includes(bomb.status));
    assert.match((await bomb.json()).error.message, /GB|zip bomb|MB once extracted/);
    await expect(await post(uploadForm('external_id,label,file\na,A,a.jpg', Buffer.from('PK not really'))), 422, /not a readable zip/);
    await expect(await post(uploadForm('id,label\na,A', makeZip([{ name: 'a.jpg', data: img }]))), 422, /no "external_id" column/);
    await expect(
      await post(
        uploadForm('external_id,label,file\na,A,a.jpg\na,B,b.jpg', undefined, [
          ['a.jpg', img],
          ['b.jpg', img],
        ]),
      ),
      422,
      /repeats the external_id "a"/,
    );
    await expect(
      await post(uploadForm('external_id,label,file\na,A,a.jpg', makeZip([{ name: 'a.jpg', data: img }])), { 'content-length': String(10 * 1024 ** 3) }),
      413,
      /limited/,
    );
    const items = (await (await call(itemsRoute.GET, { path: `/datasets/${dataset.id}/items`, key, params: p })).json()).data;
    assert.equal(items.length, 0, 'nothing was half-imported');
  });

  test('organisation B sees nothing of A; scopes and revocation are enforced; the OpenAPI document lists every operation', async () => {
    const a = await seedPartner();
    const b = await seedPartner();
    const ka = await createApiKey({
      actorUserId: a.admin.id,
      organizationId: a.organization.id,
      input: { name: 'a', scopes: ['datasets:read', 'datasets:write', 'models:read'] },
    });
    const kb = await createApiKey({
      actorUserId: b.admin.id,
      organizationId: b.organization.id,
      input: { name: 'b', scopes: ['datasets:read', 'datasets:write', 'models:read', 'models:write'] },
    });
    const readOnly = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'ro', scopes: ['datasets:read'] } });
    const { dataset } = await (await call(datasetRoutes.POST, { path: '/datasets', key: ka.key, json: { name: 'A only' } })).json();
    const p = { datasetId: dataset.id };
    assert.equal((await call(datasetRoute.GET, { path: `/datasets/${dataset.id}`, key: kb.key, params: p })).status, 404);
    assert.equal((await call(itemsRoute.GET, { path: `/datasets/${dataset.id}/items`, key: kb.key, params: p })).status, 404);
    assert.equal((await call(uploadsRoute.GET, { path: `/datasets/${dataset.id}/uploads`, key: kb.key, params: p })).status, 404);
    assert.equal(
      (
        await call(uploadsRoute.POST, {
          path: `/datasets/${dataset.id}/uploads`,
          key: kb.key,
          params: p,
          form: uploadForm('external_id,label,file\na,A,a.jpg', undefined, [['a.jpg', photo('Adrien_Brody_0001.jpg')]]),
        })
      ).status,
      404,
    );
    assert.equal((await call(modelsRoute.POST, { path: '/models', key: kb.key, json: { name: 'steal', datasetId: dataset.id, kind: 'sisa' } })).status, 404);
    assert.deepEqual((await (await call(datasetRoutes.GET, { path: '/datasets', key: kb.key })).json()).data, []);
    assert.equal((await call(datasetRoute.GET, { path: '/datasets/not-a-uuid', key: ka.key, params: { datasetId: 'not-a-uuid' } })).status, 404);
    assert.equal((await call(datasetRoutes.POST, { path: '/datasets', key: readOnly.key, json: { name: 'no' } })).status, 403);
    assert.equal((await call(modelsRoute.POST, { path: '/models', key: ka.key, json: { name: 'no', datasetId: dataset.id, kind: 'sisa' } })).status, 403);
    await revokeApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, keyId: ka.id });
    assert.equal((await call(datasetRoutes.GET, { path: '/datasets', key: ka.key })).status, 401);
    const bad = await datasetRoutes.POST(
      new Request(`${BASE}/datasets`, { method: 'POST', headers: { authorization: `Bearer ${kb.key}`, 'content-type': 'text/plain' }, body: 'name=x' }),
    );
    assert.equal(bad.status, 415);
    const malformed = await datasetRoutes.POST(
      new Request(`${BASE}/datasets`, { method: 'POST', headers: { authorization: `Bearer ${kb.key}`, 'content-type': 'application/json' }, body: '{"name":' }),
    );
    assert.equal((await malformed.json()).error.code, 'invalid_json');

    const doc = await (await openapiRoute.GET(new Request(`${BASE}/openapi.json`))).json();
    assert.equal(doc.openapi, '3.1.0');
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((m) => Object.values(m).map((o) => o.operationId));
    const deployment = ['getDeploymentStatement', 'acknowledgeDeployment', 'listDeploymentKeys', 'registerDeploymentKey', 'revokeDeploymentKey'];
    for (const id of ['createDataset', 'uploadItems', 'createModel', 'downloadWeights', 'createWebhookEndpoint', 'replayWebhookDelivery', ...deployment])
      assert.ok(ops.includes(id), id);
    assert.ok(doc.paths['/datasets'].post.requestBody.content['application/json'].schema.properties.name);
    // For readers: a format without zod's regular expression beside it, and no safe-integer bounds.
    const text = JSON.stringify(doc);
    assert.ok(text.includes('"format":"uuid"'));
    assert.ok(!text.includes('9007199254740991'), 'no safe-integer bounds');
    assert.ok(!/"format":"uuid"[^}]*"pattern"|"pattern"[^}]*"format":"uuid"/.test(text), 'no UUID regular expressions');
  });
});
