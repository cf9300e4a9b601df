import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, SAME_ORIGIN, signInByApi, appAlert } from './fixtures';

test.describe('an individual', () => {
  test.beforeEach(async ({ page }) => signInByApi(page.request, 'demo@forgetme.example', DEMO_PASSWORD));

  test('gets 403 from a partner API route', async ({ page }) => {
    const res = await page.request.get('/api/v1/organization');
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    const post = await page.request.post('/api/v1/organization/invitations', { headers: SAME_ORIGIN, data: { email: 'x@example.test', role: 'engineer' } });
    expect(post.status()).toBe(403);
  });

  test('is redirected away from partner and compliance pages', async ({ page }) => {
    for (const path of ['/partner', '/partner/members', '/compliance']) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/me\?denied=/);
      await expect(appAlert(page)).toHaveAttribute('data-code', 'forbidden');
    }
  });
});

test('signed out: pages send to sign-in, the API answers 401', async ({ page }) => {
  await page.goto('/partner');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fpartner/);
  const res = await page.request.get('/api/v1/organization');
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe('unauthenticated');
  const bad = await page.request.get('/api/v1/organization', { headers: { authorization: 'Bearer fm_nope' } });
  expect((await bad.json()).error.code).toBe('unauthenticated');
});

test.describe('a partner admin', () => {
  test.beforeEach(async ({ page }) => signInByApi(page.request, 'admin@facelab.example', DEMO_PASSWORD));

  test('reads their organisation through the API', async ({ page }) => {
    const res = await page.request.get('/api/v1/organization');
    expect(res.status()).toBe(200);
    expect((await res.json()).organization.name).toBe('FaceLab Demo');
  });

  test('gets a clear error, never a 500, for each bad request body', async ({ page }) => {
    const url = '/api/v1/organization/invitations';
    const cases: { body: string; type?: string; status: number; code: string }[] = [
      { body: '{"email": "x@example.test", ', status: 400, code: 'invalid_json' },
      { body: '', status: 400, code: 'invalid_json' },
      { body: 'email=x', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
      { body: JSON.stringify({ email: 42, role: 'engineer' }), status: 422, code: 'validation_failed' },
      { body: JSON.stringify({ email: 'x@example.test', role: 'engineer', admin: true }), status: 422, code: 'validation_failed' },
      { body: JSON.stringify({ email: `${'x'.repeat(300)}@example.test`, role: 'engineer' }), status: 422, code: 'validation_failed' },
      { body: JSON.stringify({ email: 'x@example.test', role: 'owner' }), status: 422, code: 'validation_failed' },
      { body: JSON.stringify({ email: 'x'.repeat(70_000) }), status: 413, code: 'payload_too_large' },
      { body: JSON.stringify({ email: 'admin@facelab.example', role: 'engineer' }), status: 409, code: 'conflict' },
    ];
    for (const c of cases) {
      const res = await page.request.post(url, { data: Buffer.from(c.body), headers: { ...SAME_ORIGIN, 'content-type': c.type ?? 'application/json' } });
      const json = await res.json();
      expect({ status: res.status(), code: json.error?.code }, c.body.slice(0, 60)).toEqual({ status: c.status, code: c.code });
      expect(typeof json.error.message).toBe('string');
    }
    const ok = await page.request.post(url, { headers: SAME_ORIGIN, data: { email: `new-${Date.now()}@example.test`, role: 'engineer' } });
    expect(ok.status()).toBe(201);
  });
});

test('health and the published keys answer without sign-in', async ({ request }) => {
  const health = await (await request.get('/api/health')).json();
  expect(health.status).toBe('ok');
  expect(health.database.driver).toBe('pglite');
  expect(health.versions.pgvector).toMatch(/^0\.8/);
  const jwks = await (await request.get('/.well-known/jwks.json')).json();
  expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
  expect(jwks.keys[0].d).toBeUndefined();
});
