import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emails, webhookDeliveries } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { resetEnvForTests } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { startWebhookReceiver } from '@/lib/testing/webhook-receiver';
import { getDelivery, listDeliveries, replayDelivery, REPLAYS_PER_MINUTE } from './deliveries';
import { deliverDue } from './deliver';
import { emitEvent } from './emit-event';
import { createEndpoint, deleteEndpoint, rotateEndpointSecret, updateEndpoint } from './endpoints';
import { checkWebhookUrl } from './ssrf-guard';

setUpTestEnvironment();

function allowPrivate(on: boolean) {
  if (on) process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = '1';
  else delete process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS;
  resetEnvForTests();
}

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

test('the SSRF guard refuses loopback, link-local, private and credentialed targets without the override', async () => {
  allowPrivate(false);
  for (const url of [
    'https://127.0.0.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.1/',
    'https://[::1]/',
    'https://192.168.1.5/',
    'https://[::ffff:127.0.0.1]/',
    'https://localhost/',
  ]) {
    await assert.rejects(
      checkWebhookUrl(url),
      (e: unknown) =>
        e instanceof AppError && e.code === 'validation_failed' && /private, loopback or link-local.*WEBHOOK_ALLOW_PRIVATE_TARGETS=1/.test(e.message),
      url,
    );
  }
  await assert.rejects(checkWebhookUrl('http://93.184.216.34/'), /https/);
  await assert.rejects(checkWebhookUrl('https://user:pw@93.184.216.34/'), /credentials/);
  await assert.rejects(checkWebhookUrl('not a url'), /not a valid URL/);
  assert.equal((await checkWebhookUrl('https://93.184.216.34/hook')).hostname, '93.184.216.34');
});

describeEachDriver('webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let failures = 0;
  before(async () => {
    receiver = await startWebhookReceiver({ respond: () => (failures-- > 0 ? 500 : 200) });
  });
  after(() => receiver.close());

  test('refused targets are refused at registration too', async () => {
    allowPrivate(false);
    const org = await seedPartner();
    await assert.rejects(
      createEndpoint({
        organizationId: org.organization.id,
        actor: { type: 'user', id: org.admin.id },
        input: { url: 'https://10.0.0.1/hook', description: '', events: ['ping'] },
      }),
      /private/,
    );
  });

  test('fails twice, then succeeds on the schedule (5 s, then 5 min); the log shows three attempts; replay keeps the webhook-id', async () => {
    allowPrivate(true);
    const org = await seedPartner();
    const actor = { type: 'user', id: org.admin.id } as const;
    const { endpoint, secret } = await createEndpoint({
      organizationId: org.organization.id,
      actor,
      input: { url: receiver.url, description: 'ci', events: ['dataset.ingested'] },
    });
    receiver.setSecret(secret);
    receiver.received.length = 0;
    failures = 2;
    // A clock that starts 150 s in the past, so that every signed timestamp stays within the
    // receiver's 5-minute tolerance while the schedule moves 305 s ahead.
    const t0 = new Date(Date.now() - 150_000);
    const { eventId, deliveryIds } = await emitEvent({ organizationId: org.organization.id, type: 'dataset.ingested', data: { datasetId: 'd1' }, now: t0 });
    assert.equal(deliveryIds.length, 1);
    await emitEvent({ organizationId: org.organization.id, type: 'model.trained', data: {}, now: t0 }); // not subscribed

    assert.equal(await deliverDue(t0), 1);
    assert.equal(await deliverDue(at(t0, 4)), 0, 'not due before 5 s');
    assert.equal(await deliverDue(at(t0, 5)), 1);
    assert.equal(await deliverDue(at(t0, 5 + 299)), 0, 'not due before 5 min more');
    assert.equal(await deliverDue(at(t0, 5 + 300)), 1);
    assert.equal(await deliverDue(at(t0, 100_000)), 0, 'delivered: nothing more to do');

    const d = await getDelivery(org.organization.id, deliveryIds[0]);
    assert.equal(d.status, 'succeeded');
    assert.deepEqual(
      d.log.map((a) => a.statusCode),
      [500, 500, 200],
    );
    assert.ok(d.log.every((a) => a.latencyMs >= 0));
    assert.match(d.log[0].responseExcerpt ?? '', /failing on purpose/);
    assert.equal(receiver.received.length, 3);
    assert.ok(
      receiver.received.every((r) => r.verified && r.id === eventId),
      receiver.received.map((r) => r.verifyError).join(),
    );
    assert.deepEqual(receiver.received[2].payload, { type: 'dataset.ingested', timestamp: t0.toISOString(), data: { datasetId: 'd1' } });

    const replayed = await replayDelivery({ organizationId: org.organization.id, actor, deliveryId: d.id });
    assert.equal(replayed.log.length, 4);
    assert.equal(replayed.log[3].manual, true);
    assert.ok(receiver.received[3].verified, receiver.received[3].verifyError);
    assert.equal(receiver.received[3].id, eventId);
    const page = await listDeliveries(org.organization.id, endpoint.id, { limit: 10 });
    assert.deepEqual(
      page.data.map((x) => x.id),
      [d.id],
    );

    // Replays are rate-limited per organisation, and refused once the endpoint is disabled or deleted.
    const replay = () => replayDelivery({ organizationId: org.organization.id, actor, deliveryId: d.id });
    for (let i = 1; i < REPLAYS_PER_MINUTE; i++) await replay();
    await assert.rejects(replay(), (e: unknown) => e instanceof AppError && e.code === 'rate_limited');
    const sent = receiver.received.length;
    await updateEndpoint({ organizationId: org.organization.id, actor, id: endpoint.id, input: { enabled: false } });
    await assert.rejects(replay(), (e: unknown) => e instanceof AppError && e.code === 'conflict' && /disabled/.test(e.message));
    await deleteEndpoint({ organizationId: org.organization.id, actor, id: endpoint.id });
    await assert.rejects(replay(), (e: unknown) => e instanceof AppError && e.code === 'conflict' && /deleted/.test(e.message));
    assert.equal(receiver.received.length, sent, 'nothing was sent to a disabled or deleted endpoint');
  });

  test('after a rotation both secrets sign until the overlap ends', async () => {
    allowPrivate(true);
    const org = await seedPartner();
    const actor = { type: 'user', id: org.admin.id } as const;
    const { endpoint, secret: old } = await createEndpoint({
      organizationId: org.organization.id,
      actor,
      input: { url: receiver.url, description: '', events: ['ping'] },
    });
    const { secret: fresh, endpoint: rotated } = await rotateEndpointSecret({ organizationId: org.organization.id, actor, id: endpoint.id });
    assert.notEqual(old, fresh);
    assert.ok(rotated.previousSecretValidUntil);
    failures = 0;
    receiver.received.length = 0;
    receiver.setSecret(old);
    await emitEvent({ organizationId: org.organization.id, type: 'ping', data: {}, now: new Date() });
    await deliverDue();
    assert.equal(receiver.received.at(-1)!.verified, true, 'the old secret still verifies');
    assert.equal(receiver.received.at(-1)!.signature.split(' ').length, 2);
    receiver.setSecret(fresh);
    const later = new Date(Date.now() + 25 * 3600 * 1000);
    await emitEvent({ organizationId: org.organization.id, type: 'ping', data: {}, now: later });
    await deliverDue(later);
    assert.equal(receiver.received.at(-1)!.signature.split(' ').length, 1, 'one signature after the overlap');
  });

  test('an endpoint failing for five days is disabled and its admins are told; another organisation sees none of it', async () => {
    allowPrivate(true);
    const org = await seedPartner();
    const other = await seedPartner();
    const actor = { type: 'user', id: org.admin.id } as const;
    const { endpoint } = await createEndpoint({
      organizationId: org.organization.id,
      actor,
      input: { url: receiver.url, description: '', events: ['model.version_created'] },
    });
    failures = 1000;
    const t0 = new Date();
    const { deliveryIds } = await emitEvent({ organizationId: org.organization.id, type: 'model.version_created', data: {}, now: t0 });
    let clock = t0;
    for (let i = 0; i < 8; i++) {
      await deliverDue(clock);
      const [row] = await (await getDb()).select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryIds[0]));
      if (!row.nextAttemptAt) break;
      clock = row.nextAttemptAt;
    }
    const d = await getDelivery(org.organization.id, deliveryIds[0]);
    assert.equal(d.status, 'failed');
    assert.equal(d.attempts, 8, 'immediately, then 7 retries');
    // The schedule spans 27 h 35 min; a later event that fails after five days disables the endpoint.
    const late = at(t0, 5 * 24 * 3600 + 1);
    await emitEvent({ organizationId: org.organization.id, type: 'model.version_created', data: {}, now: late });
    await deliverDue(late);
    const [ep] = (await (await import('./endpoints')).listEndpoints(org.organization.id, { limit: 5 })).data;
    assert.equal(ep.enabled, false);
    assert.match(ep.disabledReason ?? '', /5 days/);
    const mail = await (await getDb()).select().from(emails).where(eq(emails.to, org.admin.email));
    assert.ok(mail.some((m) => /disabled/.test(m.subject)));
    assert.equal(
      (await emitEvent({ organizationId: org.organization.id, type: 'model.version_created', data: {}, now: late })).deliveryIds.length,
      0,
      'a disabled endpoint gets nothing',
    );
    await assert.rejects(getDelivery(other.organization.id, deliveryIds[0]), (e: unknown) => e instanceof AppError && e.code === 'not_found');
    await assert.rejects(
      updateEndpoint({ organizationId: other.organization.id, actor: { type: 'user', id: other.admin.id }, id: endpoint.id, input: { enabled: true } }),
      (e: unknown) => e instanceof AppError && e.code === 'not_found',
    );
    const back = await updateEndpoint({ organizationId: org.organization.id, actor, id: endpoint.id, input: { enabled: true } });
    assert.equal(back.enabled, true);
  });
});

describeEachDriver('webhook routes: another organisation gets nothing', () => {
  test("B's key gets 404 for A's endpoint and delivery on every route, and empty lists", async () => {
    allowPrivate(true);
    const { createApiKey } = await import('@/lib/api-keys/create-api-key');
    const endpointsRoute = await import('@/app/api/v1/webhooks/endpoints/route');
    const endpointRoute = await import('@/app/api/v1/webhooks/endpoints/[endpointId]/route');
    const rotateRoute = await import('@/app/api/v1/webhooks/endpoints/[endpointId]/rotate-secret/route');
    const pingRoute = await import('@/app/api/v1/webhooks/endpoints/[endpointId]/ping/route');
    const deliveriesRoute = await import('@/app/api/v1/webhooks/endpoints/[endpointId]/deliveries/route');
    const deliveryRoute = await import('@/app/api/v1/webhooks/deliveries/[deliveryId]/route');
    const replayRoute = await import('@/app/api/v1/webhooks/deliveries/[deliveryId]/replay/route');
    const requestsRoute = await import('@/app/api/v1/removal-requests/route');
    const a = await seedPartner();
    const b = await seedPartner();
    const { endpoint } = await createEndpoint({
      organizationId: a.organization.id,
      actor: { type: 'user', id: a.admin.id },
      input: { url: 'http://127.0.0.1:9/none', description: '', events: ['ping'] },
    });
    const { deliveryIds } = await emitEvent({ organizationId: a.organization.id, type: 'ping', data: {}, now: new Date() });
    const { key } = await createApiKey({
      actorUserId: b.admin.id,
      organizationId: b.organization.id,
      input: { name: 'b', scopes: ['webhooks:read', 'webhooks:write', 'requests:read'] },
    });
    type H = (r: Request, c?: { params?: Promise<Record<string, string>> }) => Promise<Response>;
    const call = (h: H, method: string, params: Record<string, string>, json?: unknown) =>
      h(
        new Request('http://localhost/api/v1/x', {
          method,
          headers: { authorization: `Bearer ${key}`, ...(json ? { 'content-type': 'application/json' } : {}) },
          body: json ? JSON.stringify(json) : undefined,
        }),
        { params: Promise.resolve(params) },
      );
    const e = { endpointId: endpoint.id };
    const d = { deliveryId: deliveryIds[0] };
    const statuses = [
      await call(endpointRoute.GET, 'GET', e),
      await call(endpointRoute.PATCH, 'PATCH', e, { enabled: false }),
      await call(endpointRoute.DELETE, 'DELETE', e),
      await call(rotateRoute.POST, 'POST', e),
      await call(pingRoute.POST, 'POST', e),
      await call(deliveriesRoute.GET, 'GET', e),
      await call(deliveryRoute.GET, 'GET', d),
      await call(replayRoute.POST, 'POST', d),
    ].map((r) => r.status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 404, 404, 404]);
    assert.deepEqual((await (await call(endpointsRoute.GET, 'GET', {})).json()).data, []);
    assert.deepEqual((await (await call(requestsRoute.GET, 'GET', {})).json()).data, []);
    assert.equal((await getDelivery(a.organization.id, deliveryIds[0])).log.length, 0, "nothing was sent on B's behalf");
  });
});
