/**
 * Hostile uploads against a running production server: each case's answer and the server's peak
 * resident memory while it is handled (issue 14, "bounded by construction"). Needs a build
 * (`npx next build`) and PostgreSQL on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   node --import tsx bench/hostile-uploads.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { chunked } from '@/lib/testing/chunked-body';
import { makeZip } from '@/lib/testing/make-zip';
import { MB, signIn, startServer } from './server-harness';

const server = await startServer({ port: 3311 });
// Imported once startServer has pointed this process at the server's database.
const { seedIndividual, seedPartner } = await import('@/db/seed/factories');
const { createApiKey } = await import('@/lib/api-keys/create-api-key');
const { closeDb } = await import('@/db/client');

const rows: { case: string; status: number; answer: string; seconds: number; peakRssMB: number; rssAfterMB: number }[] = [];
async function run(name: string, send: () => Promise<Response>) {
  await new Promise((r) => setTimeout(r, 500));
  server.resetPeak();
  const t = performance.now();
  let status = 0;
  let answer = '';
  try {
    const res = await send();
    status = res.status;
    answer = ((await res.json().catch(() => null)) as { error?: { code: string } } | null)?.error?.code ?? 'ok';
  } catch (err) {
    answer = `connection: ${(err as Error).message}`;
  }
  const seconds = (performance.now() - t) / 1000;
  await new Promise((r) => setTimeout(r, 300));
  rows.push({ case: name, status, answer, seconds: Number(seconds.toFixed(2)), peakRssMB: MB(server.peakRss()), rssAfterMB: MB(server.rss()) });
}

try {
  const person = await seedIndividual();
  const partner = await seedPartner();
  const { key } = await createApiKey({
    actorUserId: partner.admin.id,
    organizationId: partner.organization.id,
    input: { name: 'bench', scopes: ['datasets:read', 'datasets:write'] },
  });
  const cookie = await signIn(server.url, person.email, person.password);
  const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
  const me = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { cookie, origin: server.url, ...init.headers } });

  // The request is created through the product's own use case (the page uses a server action).
  const { startRequest } = await import('@/lib/removals/start-request');
  const { CONSENT_VERSION } = await import('@/lib/removals/consent');
  const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  const { dataset } = (await (
    await api('/api/v1/datasets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }) })
  ).json()) as { dataset: { id: string } };
  const baseline = MB(server.rss());

  const b = 'x-forgetme-bench';
  const photoHead = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="photo"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const end = Buffer.from(`\r\n--${b}--\r\n`);
  const multipart = { 'content-type': `multipart/form-data; boundary=${b}` };
  await run('reference photo, 400 MB, chunked', () =>
    me(`/api/me/requests/${req.id}/references`, {
      method: 'POST',
      headers: multipart,
      body: chunked([photoHead, { bytes: 400 * 2 ** 20, fill: 0xff }, end]),
      duplex: 'half',
    } as RequestInit),
  );
  const uploadHead = Buffer.from(
    `--${b}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\nexternal_id,label,file\na,A,a.zip\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="archive"; filename="a.zip"\r\n\r\n`,
  );
  await run('partner upload, 560 MB, chunked', () =>
    api(`/api/v1/datasets/${dataset.id}/uploads`, {
      method: 'POST',
      headers: multipart,
      body: chunked([uploadHead, { bytes: 560 * 2 ** 20, fill: 0xff }, end]),
      duplex: 'half',
    } as RequestInit),
  );
  await run('partner upload, 400 MB, chunked (under the limit, a broken zip)', () =>
    api(`/api/v1/datasets/${dataset.id}/uploads`, {
      method: 'POST',
      headers: multipart,
      body: chunked([uploadHead, { bytes: 400 * 2 ** 20, fill: 0xff }, end]),
      duplex: 'half',
    } as RequestInit),
  );
  const bomb = makeZip(Array.from({ length: 400 }, (_, i) => ({ name: `z${i}.jpg`, data: Buffer.alloc(2 ** 20) })));
  const form = new FormData();
  form.append('manifest', new Blob([['external_id,label,file', ...Array.from({ length: 400 }, (_, i) => `z${i},Z,z${i}.jpg`)].join('\n')]), 'manifest.csv');
  form.append('archive', new Blob([new Uint8Array(bomb)]), 'bomb.zip');
  await run(`zip bomb, 400 x 1 MiB in ${Math.round(bomb.length / 1024)} KB`, () =>
    api(`/api/v1/datasets/${dataset.id}/uploads`, { method: 'POST', body: form }),
  );
  await run('JSON body, 10 MB, chunked', () =>
    api('/api/v1/datasets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunked([Buffer.from('{"name":"'), { bytes: 10 * 2 ** 20, fill: 0xff }, Buffer.from('"}')]),
      duplex: 'half',
    } as RequestInit),
  );
  const photo = fs.readFileSync(path.resolve('lib/faces/fixtures/Adrien_Brody_0001.jpg'));
  await run('ten parallel reference uploads (5 allowed)', async () => {
    const all = await Promise.all(
      Array.from({ length: 10 }, () => {
        const f = new FormData();
        f.append('photo', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'me.jpg');
        return me(`/api/me/requests/${req.id}/references`, { method: 'POST', body: f });
      }),
    );
    const accepted = all.filter((r) => r.status === 201).length;
    return Response.json(
      { error: { code: `${accepted} accepted, ${all.length - accepted} refused (${[...new Set(all.map((r) => r.status))].join('/')})` } },
      { status: 200 },
    );
  });
  console.log(JSON.stringify({ baselineRssMB: baseline, cases: rows }, null, 2));
} finally {
  await closeDb();
  await server.stop();
}
