import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { count } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiKeys, auditEvents, datasets, models, webhookEndpoints } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { API_SCOPES } from '@/lib/api-keys/scopes';
import { describeEachDriver } from '@/lib/testing/test-db';
import { unstorableText } from './text-checks';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

setUpTestEnvironment();

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { file: string; path: string; params: string[]; methods: [string, Handler][] };

/** Every API route of the app, found on disk: a new route is covered without being listed here. */
async function discoverRoutes(): Promise<Route[]> {
  const root = path.resolve('app/api');
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('route.ts') && !f.includes('[...nextauth]'));
  const routes: Route[] = [];
  for (const file of files.sort()) {
    const dir = path.dirname(file);
    // Imported by path: the point is to reach whatever routes exist.
    const mod = (await import(path.join(root, file))) as Record<string, unknown>;
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].flatMap((m) =>
      typeof mod[m] === 'function' ? [[m, mod[m] as Handler] as [string, Handler]] : [],
    );
    routes.push({ file, path: `/api/${dir}`, params: [...dir.matchAll(/\[(\w+)\]/g)].map((m) => m[1]), methods });
  }
  return routes;
}

const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const BAD_IDS = ['not-a-uuid', '..%2F..%2Fetc', 'a\u0000b', '9'.repeat(40), '0', '-1', '1e308', 'ffffffff-ffff-ffff-ffff-fffffffffffff', '\ud800'];
const BAD_QUERIES: Record<string, string>[] = [
  { cursor: cursor(['0000-01-01T00:00:00.000Z', crypto.randomUUID()]) },
  { cursor: cursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid']) },
  { cursor: cursor(['+275760-09-13T00:00:00.000Z', '1']) },
  { cursor: 'a'.repeat(199) },
  { cursor: cursor({ at: 1 }) },
  { limit: '1e308' },
  { limit: '-1' },
  { from: '0000-01-01', to: '0000-01-02' },
  { from: '2026-02-30' },
  { to: '99999-01-01' },
  { from: '1e30', to: '1e30' },
  { from: '1', to: '99999999999' },
  { before: '1e30' },
  { after: '1e300' },
  { after: '-5' },
  { status: 'a\u0000' },
  { q: '\ud800' },
];
const BAD_BODIES = [
  '{"name":"a\\u0000b","url":"https://example.com/\\u0000","email":"x\\u0000@example.com"}',
  '{"name":"\\ud800","description":"\\udc00"}',
  '{"limit":1e400,"version":1e308,"epsilon":-1e308}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '{"__proto__":{"admin":true}}',
  'not json',
  '',
];

/** A request with the partner's (or the compliance officer's) API key. */
function request(method: string, url: string, key: string, body?: string): Request {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Request(`http://localhost${url}`, { method, headers, body: method === 'GET' ? undefined : body });
}

async function counts() {
  const db = await getDb();
  const n = async (t: typeof datasets | typeof models | typeof webhookEndpoints | typeof apiKeys | typeof auditEvents) =>
    (await db.select({ n: count() }).from(t))[0].n;
  return { datasets: await n(datasets), models: await n(models), endpoints: await n(webhookEndpoints), keys: await n(apiKeys), audit: await n(auditEvents) };
}

describeEachDriver('hostile input on every API route', () => {
  test('malformed ids, cursors, numbers, dates, NUL bytes and surrogates are answered 4xx with the error contract, and write nothing', async () => {
    const org = await seedPartner();
    const partnerScopes = API_SCOPES.filter((s) => s !== 'compliance:read');
    const partner = await createApiKey({ actorUserId: org.admin.id, organizationId: org.organization.id, input: { name: 'all', scopes: [...partnerScopes] } });
    const compliance = await createApiKey({
      actorUserId: org.admin.id,
      organizationId: org.organization.id,
      input: { name: 'co', scopes: ['compliance:read'] },
    });
    const routes = await discoverRoutes();
    assert.ok(routes.length >= 35, `routes found: ${routes.length}`);
    const before = await counts();
    const failures: string[] = [];
    let calls = 0;
    const check = async (label: string, expect4xx: boolean, run: () => Promise<Response>) => {
      calls++;
      let res: Response;
      try {
        res = await run();
      } catch (err) {
        return void failures.push(`${label}: threw ${(err as Error).message}`);
      }
      if (res.status >= 500) return void failures.push(`${label}: ${res.status} ${await res.text()}`);
      if (expect4xx && res.status < 400) return void failures.push(`${label}: ${res.status}, expected a 4xx`);
      if (res.status >= 400 && (res.headers.get('content-type') ?? '').includes('json')) {
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        if (!body.error?.code || !body.error.message) failures.push(`${label}: ${res.status} without { error: { code, message } }`);
      }
    };
    for (const r of routes) {
      const key = r.path.includes('/compliance/') ? compliance.key : partner.key;
      const valid = Object.fromEntries(r.params.map((p) => [p, p === 'version' ? '1' : crypto.randomUUID()]));
      // A lone surrogate cannot be percent-encoded; the handler still receives it as the decoded parameter.
      const encode = (v: string) => (unstorableText(v)?.includes('surrogate') ? '%ED%A0%80' : encodeURIComponent(v));
      const url = (params: Record<string, string>) => r.path.replace(/\[(\w+)\]/g, (_, p: string) => encode(params[p]));
      for (const [method, handler] of r.methods) {
        const call = (params: Record<string, string>, query = '', body?: string) =>
          handler(request(method, url(params) + query, key, body), { params: Promise.resolve(params) });
        for (const p of r.params) {
          for (const bad of BAD_IDS) await check(`${method} ${r.path} ${p}=${JSON.stringify(bad)}`, true, () => call({ ...valid, [p]: bad }));
        }
        for (const q of BAD_QUERIES) {
          const query = `?${new URLSearchParams(q)}`;
          await check(`${method} ${r.path}${query}`, false, () => call(valid, query, method === 'GET' ? undefined : '{}'));
        }
        if (method !== 'GET') {
          for (const body of BAD_BODIES) await check(`${method} ${r.path} body ${body.slice(0, 40)}`, true, () => call(valid, '', body));
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${calls} hostile calls failed`);
    const afterCounts = await counts();
    assert.deepEqual({ ...afterCounts, audit: 0 }, { ...before, audit: 0 }, 'no row was half-written');
  });
});
