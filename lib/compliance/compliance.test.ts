import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, certificates, removalRequests } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import type { PredicateV2 } from '@/lib/certificates/predicate';
import { signCertificate } from '@/lib/certificates/sign-certificate';
import { AppError } from '@/lib/errors/app-error';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { auditCsvStream, listAuditEvents } from './audit-query';
import { certificateDetail } from './certificate-detail';
import { certificateFilterSchema, listCertificates } from './certificates-query';
import { complianceFigures } from './figures';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import * as listRoute from '@/app/api/v1/compliance/certificates/route';
import * as detailRoute from '@/app/api/v1/compliance/certificates/[certificateId]/route';
import * as bundleRoute from '@/app/api/v1/compliance/certificates/[certificateId]/bundle/route';
import * as auditRoute from '@/app/api/v1/compliance/audit-events/route';
import * as csvRoute from '@/app/api/v1/compliance/audit-events.csv/route';

setUpTestEnvironment();
const hex = () => crypto.randomBytes(32).toString('hex');

async function issue(org: { id: string; name: string }, method: 'newton-certified' | 'sisa', items: number) {
  const person = await seedIndividual();
  const [req] = await (await getDb()).insert(removalRequests).values({ userId: person.id, status: 'completed', submittedAt: new Date() }).returning();
  const id = crypto.randomUUID();
  const weights = hex();
  const modelId = crypto.randomUUID();
  const predicate: PredicateV2 = {
    version: '2.0',
    certificateId: id,
    requestId: req.id,
    organization: org,
    issuedAt: new Date().toISOString(),
    datasets: [{ id: crypto.randomUUID(), name: 'set', removedItems: items, confirmedItems: items, unreviewedItems: 0, manifestSha256: hex() }],
    models: [
      {
        modelId,
        modelName: 'm',
        before: { version: 1, weightsSha256: hex() },
        after: { version: 2, weightsSha256: weights },
        method,
        guarantee: {
          epsilon: 0.1,
          delta: 1e-6,
          sigma: 0.01,
          lambda: 1e-4,
          residual: 1e-6,
          residualBound: 1e-4,
          residualEstablished: 'computed',
          budgetUsed: 0.01,
        },
        retrained: false,
        samplesRemoved: items,
        classesDropped: 0,
        accuracy: { before: 0.9, after: 0.9 },
        identityTest: null,
        release: null,
        evidence: null,
      },
    ],
    scope: 'test',
    software: 'test',
  };
  return signCertificate({
    certificateId: id,
    requestId: req.id,
    organizationId: org.id,
    subject: [{ name: 'model', digest: { sha256: weights } }],
    predicate,
    submittedAt: req.submittedAt,
  });
}

const f = (x: Record<string, unknown> = {}) => certificateFilterSchema.parse(x);

describeEachDriver('compliance console queries', () => {
  test('scopes, filters, sorting and paging of certificates; a stored certificate edited later fails its checks', async () => {
    const a = await seedPartner();
    const b = await seedPartner();
    const A = { id: a.organization.id, name: a.organization.name };
    const B = { id: b.organization.id, name: b.organization.name };
    const c1 = await issue(A, 'newton-certified', 3);
    const c2 = await issue(A, 'sisa', 7);
    const c3 = await issue(B, 'newton-certified', 1);
    const mine = await listCertificates({ organizationId: A.id }, f());
    assert.deepEqual(mine.data.map((c) => c.id).sort(), [c1.id, c2.id].sort());
    assert.equal(mine.total, 2);
    const all = await listCertificates({ organizationId: null }, f());
    assert.ok(
      [c1.id, c2.id, c3.id].every((id) => all.data.some((c) => c.id === id)),
      'an auditor sees every organisation',
    );
    assert.deepEqual(
      (await listCertificates({ organizationId: A.id }, f({ method: 'sisa' }))).data.map((c) => c.id),
      [c2.id],
    );
    assert.deepEqual(
      (await listCertificates({ organizationId: A.id }, f({ q: c1.requestId.slice(0, 8) }))).data.map((c) => c.id),
      [c1.id],
    );
    assert.deepEqual((await listCertificates({ organizationId: A.id }, f({ q: c3.id }))).data, [], "B's certificate is not found by A");
    const noDashes = c2.id.replace(/-/g, '').slice(0, 14);
    assert.deepEqual(
      (await listCertificates({ organizationId: A.id }, f({ q: noDashes.toUpperCase() }))).data.map((c) => c.id),
      [c2.id],
      'a prefix with or without dashes, any case',
    );
    assert.deepEqual((await listCertificates({ organizationId: A.id }, f({ q: c1.id + '0' }))).data, [], 'longer than an id: nothing');
    assert.deepEqual(
      (await listCertificates({ organizationId: A.id }, f({ sort: 'items_asc' }))).data.map((c) => c.removedItems),
      [3, 7],
    );
    const p1 = await listCertificates({ organizationId: A.id }, f({ pageSize: 1, page: 1 }));
    const p2 = await listCertificates({ organizationId: A.id }, f({ pageSize: 1, page: 2 }));
    assert.deepEqual(
      [...p1.data, ...p2.data].map((c) => c.id),
      [c2.id, c1.id],
      'pages follow the order, newest first',
    );
    assert.equal(p2.data[0].organization, A.name);
    assert.deepEqual((await listCertificates({ organizationId: A.id }, f({ pageSize: 1, page: 3 }))).data, []);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    assert.equal((await listCertificates({ organizationId: A.id }, f({ from: tomorrow }))).total, 0);
    await assert.rejects(
      listCertificates({ organizationId: A.id }, f({ from: tomorrow, to: '2020-01-01' })),
      (e: unknown) => e instanceof AppError && e.code === 'validation_failed',
    );

    // The figures: the weekly series covers the last 26 weeks, the time to certificate the latest certificates.
    const db0 = await getDb();
    const longAgo = new Date(Date.now() - 30 * 7 * 86_400_000);
    await db0
      .update(certificates)
      .set({ issuedAt: longAgo, submittedAt: new Date(longAgo.getTime() - 3_600_000) })
      .where(eq(certificates.id, c1.id));
    const figures = await complianceFigures({ organizationId: A.id });
    assert.deepEqual(
      figures.removalsPerWeek.map((w) => [w.certificates, w.photos]),
      [[1, 7]],
      'c1, 30 weeks old, is outside the series',
    );
    assert.equal(figures.timeToCertificate.count, 2);
    assert.equal(figures.timeToCertificate.slowestSeconds, 3600, 'c1 is among the latest two');
    const latestOnly = await complianceFigures({ organizationId: A.id }, { latest: 1 });
    assert.equal(latestOnly.timeToCertificate.count, 1);
    assert.ok(latestOnly.timeToCertificate.slowestSeconds! < 3600, 'the latest one is c2');

    const detail = await certificateDetail({ organizationId: A.id }, c1.id);
    assert.ok(detail.verification.ok, JSON.stringify(detail.verification.checks));
    await assert.rejects(certificateDetail({ organizationId: B.id }, c1.id), (e: unknown) => e instanceof AppError && e.code === 'not_found');
    const db = await getDb();
    const edited = {
      ...c1.envelope,
      payload: Buffer.from(Buffer.from(c1.envelope.payload, 'base64').toString('utf8').replace('"removedItems":3', '"removedItems":2')).toString('base64'),
    };
    await db.update(certificates).set({ envelope: edited }).where(eq(certificates.id, c1.id));
    const after = await certificateDetail({ organizationId: A.id }, c1.id);
    assert.equal(after.verification.ok, false);
    assert.deepEqual(
      after.verification.checks.filter((c) => !c.ok).map((c) => c.id),
      ['signature', 'key_validity', 'inclusion'],
    );
  });

  test('audit events: scoped list with cursor, and a streamed CSV with exactly the filtered rows', async () => {
    const a = await seedPartner();
    const b = await seedPartner();
    const scope = { organizationId: a.organization.id };
    const db = await getDb();
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(eq(auditEvents.organizationId, a.organization.id));
    const first = await listAuditEvents(scope, { after: 0, limit: 1 });
    assert.equal(first.data.length, 1);
    assert.ok(first.data.every((e) => e.organizationId === a.organization.id));
    const rest = await listAuditEvents(scope, { after: first.nextAfter ?? 0, limit: 500 });
    assert.equal(first.data.length + rest.data.length, n);
    const text = await new Response(auditCsvStream(scope, {})).text();
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'seq,at,actor_type,actor_id,organization_id,action,subject_type,subject_id,data,prev_hash,hash');
    assert.equal(lines.length - 1, n);
    assert.ok(!text.includes(b.organization.id), 'nothing of B');
    const joined = await new Response(auditCsvStream(scope, { action: 'member.' })).text();
    assert.ok(
      joined
        .trim()
        .split('\n')
        .slice(1)
        .every((l) => l.includes(',member.joined,')),
    );
  });
});

describeEachDriver('compliance API authorisation', () => {
  test('a compliance key of A gets nothing of B; a key without compliance:read is refused', async () => {
    const a = await seedPartner();
    const b = await seedPartner();
    const cb = await issue({ id: b.organization.id, name: b.organization.name }, 'sisa', 2);
    const ca = await issue({ id: a.organization.id, name: a.organization.name }, 'sisa', 4);
    const { key } = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'officer', scopes: ['compliance:read'] } });
    const { key: other } = await createApiKey({
      actorUserId: a.admin.id,
      organizationId: a.organization.id,
      input: { name: 'eng', scopes: ['datasets:read'] },
    });
    const get = (
      h: (r: Request, c?: { params?: Promise<Record<string, string>> }) => Promise<Response>,
      path: string,
      k: string,
      params: Record<string, string> = {},
    ) => h(new Request(`http://localhost/api/v1${path}`, { headers: { authorization: `Bearer ${k}` } }), { params: Promise.resolve(params) });
    const list = await (await get(listRoute.GET, '/compliance/certificates', key)).json();
    assert.deepEqual(
      list.data.map((c: { id: string }) => c.id),
      [ca.id],
    );
    assert.equal((await get(detailRoute.GET, `/compliance/certificates/${cb.id}`, key, { certificateId: cb.id })).status, 404);
    assert.equal((await get(bundleRoute.GET, `/compliance/certificates/${cb.id}/bundle`, key, { certificateId: cb.id })).status, 404);
    assert.equal((await get(detailRoute.GET, `/compliance/certificates/${ca.id}`, key, { certificateId: ca.id })).status, 200);
    const events = await (await get(auditRoute.GET, '/compliance/audit-events?limit=500', key)).json();
    assert.ok(events.data.length > 0 && events.data.every((e: { organizationId: string }) => e.organizationId === a.organization.id));
    const csv = await (await get(csvRoute.GET, '/compliance/audit-events.csv', key)).text();
    assert.ok(!csv.includes(b.organization.id));
    assert.equal((await get(listRoute.GET, '/compliance/certificates', other)).status, 403);
  });
});
