/**
 * The compliance console at scale, on a fresh database: the certificates list's latency with
 * 10,000 certificates (first page, a filtered page, a late page), and the audit CSV export of
 * 100,000 events: its size, its time, and the server process's memory while it streams (sampled
 * every 50 ms; it must not grow with the export). Prints one JSON object.
 *
 *   node --import tsx bench/compliance-console.ts [--driver pglite|postgres] [--certificates 10000] [--events 100000]
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { setDbHandleForTests } from '@/db/client';
import { certificates, removalRequests } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { auditCsvStream } from '@/lib/compliance/audit-query';
import { certificateFilterSchema, listCertificates } from '@/lib/compliance/certificates-query';
import { openTestDatabase } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { fillAuditEvents } from './compliance-scale-fill';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'pglite' },
    url: { type: 'string' },
    certificates: { type: 'string', default: '10000' },
    events: { type: 'string', default: '100000' },
  },
});
setUpTestEnvironment();
const handle = await openTestDatabase(values.driver === 'postgres' ? 'postgres' : 'pglite', values.url ?? 'postgres://postgres@127.0.0.1:5432/postgres');
setDbHandleForTests(handle);
const db = handle.db;
const out: Record<string, unknown> = { driver: values.driver };
try {
  const org = await seedPartner();
  const person = await seedIndividual();
  const N = Number(values.certificates);
  const methods = ['newton-certified', 'sisa', 'retrain'];
  const models = Array.from({ length: 20 }, () => crypto.randomUUID());
  for (let i = 0; i < N; i += 1000) {
    const n = Math.min(1000, N - i);
    const reqs = await db
      .insert(removalRequests)
      .values(Array.from({ length: n }, () => ({ userId: person.id, status: 'completed' as const, submittedAt: new Date() })))
      .returning({ id: removalRequests.id });
    await db.insert(certificates).values(
      reqs.map((r, j) => ({
        requestId: r.id,
        organizationId: org.organization.id,
        envelope: { payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(JSON.stringify({ bench: i + j })).toString('base64'), signatures: [] },
        leafIndex: i + j,
        issuedAt: new Date(Date.now() - (i + j) * 60_000),
        methods: [methods[(i + j) % 3]],
        modelIds: [models[(i + j) % 20]],
        datasetIds: [crypto.randomUUID()],
        removedItems: 1 + ((i + j) % 9),
        submittedAt: new Date(Date.now() - (i + j) * 60_000 - 30_000),
      })),
    );
  }
  const scope = { organizationId: org.organization.id };
  const time = async (name: string, f: Record<string, unknown>) => {
    const filter = certificateFilterSchema.parse(f);
    await listCertificates(scope, filter);
    const ms: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await listCertificates(scope, filter);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return [name, { p50: +ms[15].toFixed(1), p95: +ms[28].toFixed(1) }];
  };
  out.certificates = N;
  out.listMs = Object.fromEntries([
    await time('firstPage', {}),
    await time('methodAndModel', { method: 'sisa', modelId: models[4] }),
    await time('sortedByItems', { sort: 'items_desc' }),
    await time('page200', { page: 200, pageSize: 25 }),
    await time('idPrefix', { q: 'ab' }),
  ]);

  const E = Number(values.events);
  let t = performance.now();
  await fillAuditEvents(E, org.organization.id);
  out.auditFillSeconds = +((performance.now() - t) / 1000).toFixed(1);
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  t = performance.now();
  const reader = auditCsvStream(scope, {}).getReader();
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
  }
  clearInterval(sampler);
  out.csvExport = {
    events: lines - 1,
    megabytes: +(bytes / 2 ** 20).toFixed(1),
    seconds: +((performance.now() - t) / 1000).toFixed(1),
    baseRssMB: Math.round(base.rss / 2 ** 20),
    peakRssGrowthMB: Math.round((peakRss - base.rss) / 2 ** 20),
    peakHeapGrowthMB: Math.round((peakHeap - base.heapUsed) / 2 ** 20),
  };
  console.log(JSON.stringify(out, null, 2));
} finally {
  await handle.close();
}
