import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import * as datasetRoutes from '@/app/api/v1/datasets/route';
import * as itemsRoute from '@/app/api/v1/datasets/[datasetId]/items/route';
import * as uploadsRoute from '@/app/api/v1/datasets/[datasetId]/uploads/route';
import { count, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { requestReferences } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { env } from '@/lib/config/env';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { CONSENT_VERSION, MAX_REFERENCES } from '@/lib/removals/consent';
import { AppError } from '@/lib/errors/app-error';
import { readReferencePhoto } from '@/lib/removals/read-reference-photo';
import { addReference } from '@/lib/removals/references';
import { startRequest } from '@/lib/removals/start-request';
import { chunked } from '@/lib/testing/chunked-body';
import { makeZip } from '@/lib/testing/make-zip';
import { reference } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

setUpTestEnvironment();
after(() => closeThreadPool());

const BASE = 'http://localhost/api/v1';
const img = fs.readFileSync(path.resolve('lib/faces/fixtures/Adrien_Brody_0001.jpg'));

/** Every blob in the store (the tmp folder excluded). */
function blobs(): Set<string> {
  const root = path.join(env().dataDir, 'blobs');
  if (!fs.existsSync(root)) return new Set();
  return new Set((fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => /[0-9a-f]{64}$/.test(f) && !f.startsWith('tmp')));
}

function multipart(boundary: string, field: string, filename: string, head: Buffer, zeros: number) {
  const open = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`);
  return chunked([open, head, { bytes: zeros }, Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

describeEachDriver('hostile uploads', () => {
  test('a chunked reference photo over 20 MB is refused while reading, and nothing is stored', async () => {
    const person = await seedIndividual();
    const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
    const before = blobs();
    const boundary = 'x-forgetme-test';
    const request = new Request(`http://localhost/api/me/requests/${req.id}/references`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipart(boundary, 'photo', 'huge.jpg', img, 30 * 2 ** 20),
      duplex: 'half',
    } as RequestInit);
    // What the route reads the photo with (its session check is the authorisation matrix's).
    await assert.rejects(readReferencePhoto(request), (e: unknown) => e instanceof AppError && e.code === 'payload_too_large' && /20 MB/.test(e.message));
    assert.deepEqual(blobs(), before);
  });

  test('ten parallel reference uploads add at most five', async () => {
    const person = await seedIndividual();
    const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
    const before = blobs().size;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => addReference({ userId: person.id, requestId: req.id, bytes: reference('Abdullah_Gul', i % 2) })),
    );
    const db = await getDb();
    const [{ n }] = await db.select({ n: count() }).from(requestReferences).where(eq(requestReferences.requestId, req.id));
    assert.equal(n, MAX_REFERENCES);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok).length, MAX_REFERENCES);
    assert.equal(outcomes.filter((o) => o.status === 'rejected').length, 10 - MAX_REFERENCES);
    assert.equal(blobs().size - before, MAX_REFERENCES, 'a refused photo leaves no sealed blob');
  });

  test('partner uploads: zip bombs, oversized chunked images, NUL bytes and unnamed files leave nothing behind', async () => {
    const a = await seedPartner();
    const { key } = await createApiKey({
      actorUserId: a.admin.id,
      organizationId: a.organization.id,
      input: { name: 'ci', scopes: ['datasets:read', 'datasets:write'] },
    });
    const auth = { authorization: `Bearer ${key}` };
    const created = await datasetRoutes.POST(
      new Request(`${BASE}/datasets`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) }),
    );
    const { dataset } = await created.json();
    const params = { params: Promise.resolve({ datasetId: dataset.id }) };
    const upload = (body: BodyInit | ReadableStream<Uint8Array>, type?: string) =>
      uploadsRoute.POST(
        new Request(`${BASE}/datasets/${dataset.id}/uploads`, {
          method: 'POST',
          headers: { ...auth, ...(type ? { 'content-type': type } : {}) },
          body,
          duplex: 'half',
        } as RequestInit),
        params,
      );
    const form = (manifest: string, parts: [string, string, Buffer][]) => {
      const f = new FormData();
      f.append('manifest', new Blob([manifest], { type: 'text/csv' }), 'manifest.csv');
      for (const [field, name, data] of parts) f.append(field, new Blob([new Uint8Array(data)]), name);
      return f;
    };
    const before = blobs();

    // 400 entries of 1 MiB of zeros: a 400 MB inflation from a zip of about 400 KB.
    const bomb = makeZip(Array.from({ length: 400 }, (_, i) => ({ name: `z${i}.jpg`, data: Buffer.alloc(2 ** 20) })));
    assert.ok(bomb.length < 2 ** 20);
    const manifest = ['external_id,label,file', ...Array.from({ length: 400 }, (_, i) => `z${i},Z,z${i}.jpg`)].join('\n');
    let res = await upload(form(manifest, [['archive', 'bomb.zip', bomb]]));
    assert.equal(res.status, 422, await res.clone().text());
    assert.match((await res.json()).error.message, /zip bomb/);

    // An image of 30 MB sent chunked as a `files` part.
    const boundary = 'x-forgetme-upload';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\nexternal_id,label,file\na,A,a.jpg\r\n`);
    const stream = chunked([
      head,
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n\r\n`),
      img,
      { bytes: 30 * 2 ** 20 },
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    res = await upload(stream, `multipart/form-data; boundary=${boundary}`);
    assert.equal(res.status, 413, await res.clone().text());

    // A NUL byte in a label: refused with the line named, and the image already stored is deleted again.
    res = await upload(form('external_id,label,file\na,A\u0000B,a.jpg', [['files', 'a.jpg', img]]));
    assert.equal(res.status, 422, await res.clone().text());
    assert.match((await res.json()).error.message, /line 2 of the manifest contains a NUL/);
    assert.deepEqual(blobs(), before, 'no refused upload left a blob');

    // Accepted, with a file the manifest does not name: only the named image is kept.
    const other = fs.readFileSync(path.resolve('lib/faces/fixtures/Abdullah_Gul_0001.jpg'));
    res = await upload(
      // A part's file name keeps its folder (the CLI sends folder/photo.jpg, as the manifest names it).
      form('external_id,label,file\na,A,folder/a.jpg', [
        ['files', 'folder/a.jpg', img],
        ['files', 'extra.jpg', other],
      ]),
    );
    assert.equal(res.status, 202, await res.clone().text());
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    const now = [...blobs()].map((f) => path.basename(f));
    assert.ok(now.includes(sha(img)), 'the named image is stored');
    assert.equal(
      now.includes(sha(other)),
      [...before].some((f) => f.endsWith(sha(other))),
      'the unnamed one is not kept',
    );
    const items = await (await itemsRoute.GET(new Request(`${BASE}/datasets/${dataset.id}/items`, { headers: auth }), params)).json();
    assert.equal(items.data.length, 1);
  });
});
