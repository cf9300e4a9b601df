import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { seedPartner } from '@/db/seed/factories';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { revokeApiKey } from '@/lib/api-keys/revoke-api-key';
import { AppError } from '@/lib/errors/app-error';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { principalOrganizationId } from './principal';
import { route } from './route';

setUpTestEnvironment();

const handler = route(
  { auth: { roles: ['partner_admin'], scopes: ['datasets:write'] }, body: z.strictObject({ name: z.string().max(10) }) },
  async ({ principal, body }) => ({ org: principalOrganizationId(principal), name: body.name }),
);
const boom = route({ auth: 'public' }, async () => {
  throw new Error('secret internal detail');
});
const conflict = route({ auth: 'public' }, async () => {
  throw new AppError('conflict', 'Already there.');
});

function post(key: string | null, body: string, type = 'application/json') {
  return new Request('http://localhost/api/v1/x', {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
  });
}

async function expectError(res: Response, status: number, code: string) {
  const json = await res.json();
  assert.deepEqual({ status: res.status, code: json.error?.code }, { status, code });
  assert.equal(typeof json.error.message, 'string');
}

describeEachDriver('route wrapper', () => {
  test("API keys: the right scope passes, scoped to the key's own organisation", async () => {
    const a = await seedPartner();
    const { key } = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'ci', scopes: ['datasets:write'] } });
    const res = await handler(post(key, '{"name":"faces"}'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { org: a.organization.id, name: 'faces' });
  });

  test('a missing scope, a revoked key, a forged key and a malformed header are refused', async () => {
    const a = await seedPartner();
    const readOnly = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'ro', scopes: ['datasets:read'] } });
    await expectError(await handler(post(readOnly.key, '{"name":"x"}')), 403, 'forbidden');
    const full = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'rw', scopes: ['datasets:write'] } });
    await revokeApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, keyId: full.id });
    await expectError(await handler(post(full.key, '{"name":"x"}')), 401, 'unauthenticated');
    await expectError(await handler(post(full.key.slice(0, -4) + 'AAAA', '{"name":"x"}')), 401, 'unauthenticated');
    await expectError(await handler(new Request('http://localhost/', { method: 'POST', headers: { authorization: 'Basic abc' } })), 401, 'unauthenticated');
  });

  test("another organisation's admin cannot revoke a key (not found, nothing changes)", async () => {
    const a = await seedPartner();
    const b = await seedPartner();
    const k = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'k', scopes: ['datasets:write'] } });
    await assert.rejects(
      revokeApiKey({ actorUserId: b.admin.id, organizationId: b.organization.id, keyId: k.id }),
      (e: unknown) => e instanceof AppError && e.code === 'not_found',
    );
    await assert.rejects(
      revokeApiKey({ actorUserId: b.admin.id, organizationId: a.organization.id, keyId: k.id }),
      (e: unknown) => e instanceof AppError && e.code === 'forbidden',
    );
    assert.equal((await handler(post(k.key, '{"name":"ok"}'))).status, 200);
  });

  test('bodies: malformed JSON, wrong type, unknown fields, too long, wrong media type, too large', async () => {
    const a = await seedPartner();
    const { key } = await createApiKey({ actorUserId: a.admin.id, organizationId: a.organization.id, input: { name: 'k', scopes: ['datasets:write'] } });
    await expectError(await handler(post(key, '{"name": ')), 400, 'invalid_json');
    await expectError(await handler(post(key, '{"name": 5}')), 422, 'validation_failed');
    await expectError(await handler(post(key, '{"name": "a", "extra": 1}')), 422, 'validation_failed');
    await expectError(await handler(post(key, '{"name": "far too long a name"}')), 422, 'validation_failed');
    await expectError(await handler(post(key, 'name=a', 'text/plain')), 415, 'unsupported_media_type');
    await expectError(await handler(post(key, JSON.stringify({ name: 'x'.repeat(100_000) }))), 413, 'payload_too_large');
  });

  test('an unexpected error is a 500 that leaks nothing; an AppError keeps its status', async () => {
    const res = await boom(new Request('http://localhost/'));
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.ok(!text.includes('secret internal detail'));
    assert.match(text, /"code":"internal"/);
    await expectError(await conflict(new Request('http://localhost/')), 409, 'conflict');
  });
});
