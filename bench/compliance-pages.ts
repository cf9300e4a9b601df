/**
 * The compliance console's pages at scale (issue 19: "the certificate list and log pages at
 * 10⁶"): a production server on a fresh PostgreSQL database holding `--certificates` certificates
 * of one organisation (each in the transparency log, with a signed head per size) and `--events`
 * chained audit events. Times the full integrity checks that the hourly job runs (they read
 * everything), then each page as the organisation's compliance officer, sequentially: p50 and p95
 * of `--samples` requests after two warm-ups, the page's size, and the server's peak RSS. The
 * filled tables are vacuumed and analysed first, as autovacuum leaves them after a bulk load.
 * Needs a build (`npx next build`).
 *
 * With `--keep NAME` the filled database is kept under that name and reused by the next run with
 * the same flag (the fill takes about ten minutes at a million); drop it by hand afterwards.
 *
 *   node --import tsx bench/compliance-pages.ts [--certificates 1000000] [--events 1000000] [--samples 20] [--keep NAME]
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { MB, signIn, startServer } from './server-harness';

const { values } = parseArgs({
  options: {
    certificates: { type: 'string', default: '1000000' },
    events: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '20' },
    keep: { type: 'string' },
  },
});
const n = Number(values.certificates);
const samples = Number(values.samples);

const server = await startServer({ port: 3313, keepDatabase: values.keep });
// Imported once startServer has pointed this process at the server's database.
const { seedMember, seedIndividual, seedPartner } = await import('@/db/seed/factories');
const { fillAuditEvents, fillCertificatesAndLog } = await import('./compliance-scale-fill');
const { checkAuditChain, checkTransparencyLog } = await import('@/lib/integrity/integrity-checks');
const { closeDb, getDb } = await import('@/db/client');
const { sql } = await import('drizzle-orm');
const { certificates } = await import('@/db/schema');

const seconds = (t0: number) => +((performance.now() - t0) / 1000).toFixed(1);
const out: Record<string, unknown> = { certificates: n, events: Number(values.events), samples };

/** Runs `f` while sampling this process's heap; returns its result, its seconds and the heap's growth. */
async function measured<T>(f: () => Promise<T>): Promise<{ result: T; seconds: number; heapGrowthMB: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
  const t0 = performance.now();
  try {
    const result = await f();
    return { result, seconds: seconds(t0), heapGrowthMB: MB(peak - base) };
  } finally {
    clearInterval(sampler);
  }
}

async function timePage(cookie: string, path: string) {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < samples + 2; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    if (i >= 2) ms.push(performance.now() - t0);
    bytes = body.length;
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]);
  return { p50: at(0.5), p95: at(0.95), kB: Math.round(bytes / 1024) };
}

try {
  const db = await getDb();
  const [filled] = await db
    .select({ org: certificates.organizationId, n: sql<number>`count(*)::int` })
    .from(certificates)
    .groupBy(certificates.organizationId);
  let organizationId: string;
  let models: string[];
  if (filled?.n >= n) {
    // A kept database from an earlier run: the same data, measured again.
    organizationId = filled.org;
    const rows = await db.select({ m: certificates.modelIds }).from(certificates).orderBy(certificates.leafIndex).limit(1000);
    models = [...new Set(rows.flatMap((r) => r.m))];
    out.reused = true;
  } else {
    const partner = await seedPartner();
    const person = await seedIndividual();
    organizationId = partner.organization.id;
    models = Array.from({ length: 20 }, () => crypto.randomUUID());
    let t0 = performance.now();
    await fillCertificatesAndLog({ n, organizationId, userId: person.id, models });
    out.fillCertificatesSeconds = seconds(t0);
    t0 = performance.now();
    await fillAuditEvents(Number(values.events), organizationId);
    out.fillEventsSeconds = seconds(t0);
    // As autovacuum leaves tables some time after a bulk load: statistics, and a visibility map for index-only scans.
    await db.execute(sql`vacuum analyze`);
  }
  const officer = await seedMember({ organizationId, role: 'compliance' });
  console.error(JSON.stringify(out));

  const chain = await measured(checkAuditChain);
  const log = await measured(checkTransparencyLog);
  out.fullChecks = {
    auditChain: { ok: chain.result.ok, covered: chain.result.covered, seconds: chain.seconds, heapGrowthMB: chain.heapGrowthMB },
    transparencyLog: { ok: log.result.ok, covered: log.result.covered, seconds: log.seconds, heapGrowthMB: log.heapGrowthMB },
  };
  console.error(JSON.stringify(out.fullChecks));

  const cookie = await signIn(server.url, officer.email, officer.password);
  server.resetPeak();
  const pages: [string, string][] = [
    ['compliance home', '/compliance'],
    ['certificates, first page', '/compliance/certificates'],
    ['certificates, filtered (method and model)', `/compliance/certificates?method=sisa&modelId=${models[4]}`],
    ['certificates, sorted by items', '/compliance/certificates?sort=items_desc'],
    ['certificates, page 2,000', '/compliance/certificates?page=2000'],
    ['certificates, last page', `/compliance/certificates?page=${Math.ceil(n / 25)}`],
    ['certificates, id prefix', '/compliance/certificates?q=ab'],
    ['transparency log', '/compliance/log'],
    ['transparency log, consistency 1 → latest', `/compliance/log?from=1&to=${n}`],
    ['audit log, first page', '/compliance/audit'],
  ];
  const timed: Record<string, unknown> = {};
  for (const [name, path] of pages) {
    timed[name] = await timePage(cookie, path);
    console.error(name, JSON.stringify(timed[name]));
  }
  out.pagesMs = timed;
  out.serverPeakRssMB = MB(server.peakRss());
  console.log(JSON.stringify(out, null, 2));
} finally {
  await closeDb();
  await server.stop();
}
