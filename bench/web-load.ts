/**
 * Load on the web tier of a running production server (issue 14, "load"): for each target, N
 * concurrent clients for S seconds (autocannon, loopback); throughput, p50/p95/p99 latency (from
 * every response time, not autocannon's own buckets), errors and non-2xx answers. With
 * `--background CMD`, the same again while CMD runs beside the server (a stream of removals, say);
 * with `--background-ready TEXT`, the loads start once CMD has written TEXT to stderr (the end of
 * its set-up), and the lines of CMD's stderr that contain `--background-count TEXT` are counted
 * per target (removals finished during each load).
 * Needs a build (`npx next build`) and PostgreSQL on TEST_DATABASE_URL.
 *
 * The two "floor" targets are not product pages: a built file that Next.js serves without rendering
 * anything, with and without the proxy, measure the least any page can cost on this machine.
 *
 *   node --import tsx bench/web-load.ts [--connections 200] [--seconds 60] [--only NAME]
 *     [--background "CMD" [--background-ready TEXT] [--background-count TEXT]]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { MB, signIn, startServer } from './server-harness';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    only: { type: 'string' },
    background: { type: 'string' },
    'background-ready': { type: 'string' },
    'background-count': { type: 'string' },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);

const server = await startServer({ port: 3312 });
// Imported once startServer has pointed this process at the server's database.
const { seedIndividual, seedPartner } = await import('@/db/seed/factories');
const { createApiKey } = await import('@/lib/api-keys/create-api-key');
const { startRequest } = await import('@/lib/removals/start-request');
const { CONSENT_VERSION } = await import('@/lib/removals/consent');
const { closeDb } = await import('@/db/client');

type Target = {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  computes?: boolean;
  /** Not a page of the product: what Next.js's request handler costs with nothing to render (the floor under every page). */
  floor?: boolean;
};

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function load(t: Target) {
  const times: number[] = [];
  server.resetPeak();
  const opts = {
    url: `${server.url}${t.path}`,
    method: t.method ?? 'GET',
    headers: t.headers,
    body: t.body,
    connections,
    duration: seconds,
    timeout: 30,
  } as const;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  return {
    target: t.name,
    computes: !!t.computes,
    floor: !!t.floor,
    requests: r.requests.total,
    perSecond: Math.round(r.requests.average),
    p50: Math.round(percentile(times, 50)),
    p95: Math.round(percentile(times, 95)),
    p99: Math.round(percentile(times, 99)),
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    peakRssMB: MB(server.peakRss()),
  };
}

try {
  const person = await seedIndividual();
  const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  const partner = await seedPartner();
  const { key } = await createApiKey({
    actorUserId: partner.admin.id,
    organizationId: partner.organization.id,
    input: { name: 'load', scopes: ['datasets:read', 'datasets:write', 'models:read'] },
  });
  const cookie = await signIn(server.url, person.email, person.password);
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  // The floor: a built file that Next.js serves as it is (no proxy, no render), and one that passes the proxy first.
  const chunk = fs.readdirSync('.next/static/chunks').find((f) => f.endsWith('.js'));
  const all: Target[] = [
    { name: 'floor: a static file (GET /_next/static/chunks/…, no proxy)', path: `/_next/static/chunks/${chunk}`, headers: {}, floor: true },
    { name: 'floor: a static file through the proxy (GET /icon.svg)', path: '/icon.svg', headers: {}, floor: true },
    { name: 'sign-in page (GET /sign-in)', path: '/sign-in', headers: {} },
    {
      name: 'sign-in (POST credentials: a password hash per request)',
      path: '/api/auth/callback/credentials',
      method: 'POST',
      computes: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
      body: new URLSearchParams({ csrfToken, email: person.email, password: person.password, callbackUrl: '/home' }).toString(),
    },
    { name: 'the request page (GET /me/requests/:id, signed in)', path: `/me/requests/${req.id}`, headers: { cookie } },
    { name: 'partner API (GET /api/v1/datasets, API key)', path: '/api/v1/datasets', headers: { authorization: `Bearer ${key}` } },
  ];
  const targets = all.filter((t) => !values.only || t.name.includes(values.only));
  // Warm-up: compile and cache every target once.
  for (const t of targets) await fetch(`${server.url}${t.path}`, { method: t.method ?? 'GET', headers: t.headers, body: t.body, redirect: 'manual' });
  const quiet = [];
  for (const t of targets) quiet.push(await load(t));
  console.log(JSON.stringify({ connections, seconds, phase: 'quiet', results: quiet }, null, 2));
  if (values.background) {
    const bg = spawn('sh', ['-c', values.background], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DATABASE_URL: server.databaseUrl, FORGETME_DATA_DIR: server.dataDir },
    });
    const ready = values['background-ready'];
    const counted = values['background-count'];
    let seen = '';
    let count = 0;
    const readyNow = new Promise<void>((resolve, reject) => {
      if (!ready) resolve();
      bg.stderr.setEncoding('utf8');
      bg.stderr.on('data', (chunk: string) => {
        process.stderr.write(chunk);
        seen = (seen + chunk).slice(-100_000);
        if (counted) count += chunk.split(counted).length - 1;
        if (ready && seen.includes(ready)) resolve();
      });
      bg.once('exit', (code) => reject(new Error(`the background command ended (${code}) before it was ready`)));
    });
    await readyNow;
    const busy = [];
    for (const t of targets) {
      const before = count;
      busy.push({ ...(await load(t)), backgroundEvents: counted ? count - before : undefined });
    }
    const done = bg.exitCode !== null;
    bg.kill('SIGTERM');
    if (bg.exitCode === null && bg.signalCode === null) await new Promise((r) => bg.once('exit', r));
    console.log(JSON.stringify({ connections, seconds, phase: `while: ${values.background}`, backgroundStillRunning: !done, results: busy }, null, 2));
  }
} finally {
  await closeDb();
  await server.stop();
}
