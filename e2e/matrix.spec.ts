import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { DEMO_PASSWORD, SAME_ORIGIN, signInByApi, signUpAndVerify, uniqueEmail, waitForMail } from './fixtures';

/**
 * The authorisation matrix: every page, server action and API route of the app, discovered from
 * the source tree and the build's server-action manifest, requested by every role, and the answer
 * checked against the one table below. A route, page or action without an entry fails the test.
 * Runs after the journey (file order), whose certificate it uses.
 */
const ROLES = ['anonymous', 'personA', 'personB', 'adminA', 'engineerA', 'complianceA', 'adminB', 'auditor'] as const;
type Role = (typeof ROLES)[number];

const ALL = ROLES;
const PERSONS = ['personA', 'personB'] as const;
const PARTNERS = ['adminA', 'engineerA', 'adminB'] as const;
const PARTNERS_A = ['adminA', 'engineerA'] as const;
const READERS = ['adminA', 'engineerA', 'complianceA', 'adminB'] as const;
const READERS_A = ['adminA', 'engineerA', 'complianceA'] as const;
const WRITERS = PARTNERS;
const WRITERS_A = PARTNERS_A;
const COMPLIANCE = ['complianceA', 'adminA', 'auditor', 'adminB'] as const;
const COMPLIANCE_A = ['complianceA', 'adminA', 'auditor'] as const;
const ADMINS = ['adminA', 'adminB'] as const;
const SIGNED_IN = ROLES.filter((r) => r !== 'anonymous');
const ACCOUNT_HOLDERS = ['personA', 'personB', 'adminA', 'engineerA', 'complianceA', 'adminB'] as const;

type Entry = {
  allow: readonly Role[];
  note?: string;
  /** The allowed roles' answer is a 404 (no such object to show them), never a 401 or 403. */ ownerNotFound?: boolean;
  /** The body sent (an empty object unless given), for routes whose body is checked before the object is found. */
  data?: Record<string, unknown>;
};

/** API routes: `METHOD /path/[param]`. Allowed means authenticated and authorised (a 422 for an empty body is allowed). */
const API: Record<string, Entry> = {
  'GET /.well-known/jwks.json': { allow: ALL },
  'GET /api/auth/[...nextauth]': { allow: ALL },
  'POST /api/auth/[...nextauth]': { allow: ALL },
  'GET /api/health': { allow: ALL },
  // The certificate is the journey's person's: every other individual gets 404 (ownership of certificates
  // between persons is asserted in lib/certificates/certificates.test.ts); other roles are refused before.
  'GET /api/me/certificates/[certificateId]/bundle': { allow: PERSONS, ownerNotFound: true },
  'GET /api/me/certificates/[certificateId]/pdf': { allow: PERSONS, ownerNotFound: true },
  'GET /api/me/requests/[requestId]/matches/[matchId]/thumbnail': {
    allow: ['personA'],
    ownerNotFound: true,
    note: 'a draft has no matches: the owner gets 404, never 401/403',
  },
  'POST /api/me/requests/[requestId]/references': { allow: ['personA'], note: 'a JSON body: the owner gets 415' },
  'DELETE /api/me/requests/[requestId]/references/[referenceId]': { allow: ['personA'], ownerNotFound: true, note: 'no such photo: the owner gets 404' },
  'GET /api/me/requests/[requestId]/references/[referenceId]/thumbnail': { allow: ['personA'], ownerNotFound: true, note: 'no such photo: the owner gets 404' },
  'POST /api/me/requests/[requestId]/liveness': { allow: ['personA'] },
  'POST /api/me/requests/[requestId]/liveness/[checkId]': { allow: ['personA'], note: 'a JSON body: the owner gets 415' },
  'GET /api/v1/compliance/audit-events': { allow: COMPLIANCE },
  'GET /api/v1/compliance/audit-events.csv': { allow: COMPLIANCE },
  'GET /api/v1/compliance/certificates': { allow: COMPLIANCE },
  'GET /api/v1/compliance/certificates/[certificateId]': { allow: COMPLIANCE_A },
  'GET /api/v1/compliance/certificates/[certificateId]/bundle': { allow: COMPLIANCE_A },
  'GET /api/v1/compliance/certificates/[certificateId]/pdf': { allow: COMPLIANCE_A },
  'GET /api/v1/datasets': { allow: READERS },
  'POST /api/v1/datasets': { allow: WRITERS },
  'GET /api/v1/datasets/[datasetId]': { allow: READERS_A },
  'GET /api/v1/datasets/[datasetId]/features': { allow: READERS_A, note: 'no embeddingModelId: readers get 422, after the dataset is found' },
  'POST /api/v1/datasets/[datasetId]/features': { allow: WRITERS_A, note: 'a JSON body: writers get 415' },
  'GET /api/v1/datasets/[datasetId]/items': { allow: READERS_A },
  'GET /api/v1/datasets/[datasetId]/uploads': { allow: READERS_A },
  'POST /api/v1/datasets/[datasetId]/uploads': { allow: WRITERS_A },
  'GET /api/v1/datasets/[datasetId]/uploads/[uploadId]': { allow: READERS_A },
  'GET /api/v1/models': { allow: READERS },
  'POST /api/v1/models': { allow: WRITERS },
  'GET /api/v1/models/[modelId]': { allow: READERS_A },
  'GET /api/v1/models/[modelId]/versions': { allow: READERS_A },
  'GET /api/v1/models/[modelId]/versions/[version]': { allow: READERS_A },
  'GET /api/v1/models/[modelId]/versions/[version]/model.json': { allow: READERS_A },
  'GET /api/v1/models/[modelId]/versions/[version]/weights': { allow: READERS_A },
  'GET /api/v1/models/[modelId]/versions/[version]/deployment': { allow: READERS_A },
  'POST /api/v1/models/[modelId]/versions/[version]/deployment': {
    allow: WRITERS_A,
    data: { envelope: { payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [] } },
    note: 'an unsigned envelope: writers get signature_invalid (422), after the model is found',
  },
  'GET /api/v1/deployment-keys': { allow: READERS },
  'GET /api/v1/embedding-models': { allow: READERS },
  'POST /api/v1/embedding-models': { allow: WRITERS, note: 'an empty body: writers get 422' },
  'POST /api/v1/deployment-keys': { allow: ADMINS, note: 'an empty body: admins get 422' },
  'DELETE /api/v1/deployment-keys/[keyId]': { allow: ADMINS, ownerNotFound: true, note: 'an unknown key: admins get 404' },
  'GET /api/v1/openapi.json': { allow: ALL },
  'GET /api/v1/organization': { allow: READERS },
  'POST /api/v1/organization/invitations': { allow: ADMINS },
  'GET /api/v1/removal-requests': { allow: READERS },
  'GET /api/v1/transparency/certificates/[certificateId]/deployments': { allow: ALL },
  'GET /api/v1/transparency/consistency': { allow: ALL },
  'GET /api/v1/transparency/log/checkpoint': { allow: ALL },
  'POST /api/v1/transparency/log/cosignatures': { allow: ALL, note: 'public, the cosignature is the credential: an empty body gets 422' },
  'GET /api/v1/transparency/log/refusals': { allow: ALL },
  'POST /api/v1/transparency/log/refusals': { allow: ALL, note: "public, the witness's signature is the credential: an empty body gets 422" },
  'GET /api/v1/transparency/log/tile/[...path]': { allow: ALL, note: 'the partial level-0 tile of width 1 (the journey logged a certificate)' },
  'GET /api/v1/transparency/tree-heads': { allow: ALL },
  'GET /api/v1/transparency/tree-heads/latest': { allow: ALL },
  'GET /api/v1/webhooks/deliveries/[deliveryId]': { allow: READERS_A },
  'POST /api/v1/webhooks/deliveries/[deliveryId]/replay': { allow: WRITERS_A },
  'GET /api/v1/webhooks/endpoints': { allow: READERS },
  'POST /api/v1/webhooks/endpoints': { allow: WRITERS },
  'GET /api/v1/webhooks/endpoints/[endpointId]': { allow: READERS_A },
  'PATCH /api/v1/webhooks/endpoints/[endpointId]': { allow: WRITERS_A },
  'DELETE /api/v1/webhooks/endpoints/[endpointId]': { allow: WRITERS_A, note: 'each allowed role deletes an endpoint of its own' },
  'GET /api/v1/webhooks/endpoints/[endpointId]/deliveries': { allow: READERS_A },
  'POST /api/v1/webhooks/endpoints/[endpointId]/ping': { allow: WRITERS_A },
  'POST /api/v1/webhooks/endpoints/[endpointId]/rotate-secret': { allow: WRITERS_A },
};

/** Pages: allowed means the page itself is shown (or, for sign-in pages, the signed-in person is sent home). */
const PAGES: Record<string, Entry> = {
  '/': { allow: ALL },
  '/sign-in': { allow: ALL },
  '/sign-up': { allow: ALL },
  '/verify-email': { allow: ALL },
  '/verify': { allow: ALL },
  '/how-matching-works': { allow: ALL },
  '/invite/[token]': { allow: ALL },
  '/forgot-password': { allow: ALL },
  '/reset-password': { allow: ALL },
  '/account': { allow: ACCOUNT_HOLDERS },
  '/home': { allow: SIGNED_IN },
  '/me': { allow: PERSONS },
  '/me/requests/new': { allow: PERSONS },
  '/me/requests/[requestId]': { allow: ['personA'] },
  '/partner': { allow: PARTNERS },
  '/partner/api': { allow: PARTNERS },
  '/partner/datasets': { allow: PARTNERS },
  '/partner/datasets/[datasetId]': { allow: PARTNERS_A },
  '/partner/keys': { allow: PARTNERS },
  '/partner/members': { allow: PARTNERS },
  '/partner/models': { allow: PARTNERS },
  '/partner/models/[modelId]': { allow: PARTNERS_A },
  '/partner/removal-requests': { allow: PARTNERS },
  '/partner/webhooks': { allow: PARTNERS },
  '/partner/webhooks/[endpointId]': { allow: PARTNERS_A },
  '/compliance': { allow: COMPLIANCE },
  '/compliance/audit': { allow: COMPLIANCE },
  '/compliance/certificates': { allow: COMPLIANCE },
  '/compliance/certificates/[certificateId]': { allow: COMPLIANCE_A },
  '/compliance/log': { allow: COMPLIANCE },
  '/compliance/requests': { allow: COMPLIANCE },
};

/** Server actions (`file#export`), posted to a page that hosts them, with a form that passes validation where it matters. */
const ACTIONS: Record<string, Entry & { page: string; form?: (ids: Ids) => Record<string, string> }> = {
  'app/me/actions.ts#startRequestAction': { allow: PERSONS, page: '/me/requests/new' },
  'app/me/actions.ts#startMatchingAction': { allow: ['personA'], page: '/me/requests/[requestId]', form: (i) => ({ requestId: i.requestId }) },
  'app/me/actions.ts#submitRequestAction': { allow: ['personA'], page: '/me/requests/[requestId]', form: (i) => ({ requestId: i.requestId, attest: 'yes' }) },
  'app/me/actions.ts#askIdentityReviewAction': {
    allow: ['personA'],
    page: '/me/requests/[requestId]',
    form: (i) => ({ requestId: i.requestId, reason: 'too short' }),
  },
  'app/me/actions.ts#withdrawAction': { allow: ['personA'], page: '/me/requests/[requestId]', form: (i) => ({ requestId: i.requestId }) },
  'app/me/actions.ts#startWatchAction': { allow: ['personA'], page: '/me/requests/[requestId]', form: (i) => ({ requestId: i.requestId, consent: 'yes' }) },
  'app/me/actions.ts#stopWatchAction': { allow: ['personA'], page: '/me/requests/[requestId]', form: (i) => ({ requestId: i.requestId }) },
  'app/sign-in/actions.ts#signInAction': { allow: ALL, page: '/sign-in' },
  'app/sign-in/actions.ts#resendVerificationAction': { allow: ALL, page: '/sign-in' },
  'app/sign-up/actions.ts#signUpAction': { allow: ALL, page: '/sign-up' },
  'app/verify-email/actions.ts#verifyEmailAction': { allow: ALL, page: '/verify-email' },
  'app/verify/actions.ts#verifyCertificateAction': { allow: ALL, page: '/verify' },
  'app/invite/[token]/actions.ts#acceptInvitationAction': { allow: ALL, page: '/invite/[token]' },
  'app/forgot-password/actions.ts#requestResetAction': { allow: ALL, page: '/forgot-password' },
  'app/reset-password/actions.ts#resetPasswordAction': { allow: ALL, page: '/reset-password' },
  // Posted without the password: an allowed role gets the form's refusal, and no account is deleted.
  'app/account/actions.ts#deleteAccountAction': { allow: ACCOUNT_HOLDERS, page: '/account' },
  'app/partner/keys/actions.ts#createKeyAction': {
    allow: ADMINS,
    page: '/partner/keys',
    form: () => ({ name: `matrix ${crypto.randomUUID().slice(0, 6)}`, scopes: 'datasets:read' }),
  },
  'app/partner/keys/actions.ts#revokeKeyAction': {
    allow: ADMINS,
    page: '/partner/keys',
    form: () => ({ keyId: crypto.randomUUID() }),
    note: 'an unknown key: admins get not_found from the use case, an engineer forbidden',
  },
  'app/partner/keys/actions.ts#registerDeploymentKeyAction': {
    allow: ADMINS,
    page: '/partner/keys',
    form: () => ({
      name: `matrix ${crypto.randomUUID().slice(0, 6)}`,
      publicKey: crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }),
  },
  'app/partner/keys/actions.ts#revokeDeploymentKeyAction': {
    allow: ADMINS,
    page: '/partner/keys',
    form: () => ({ keyId: crypto.randomUUID() }),
    note: 'an unknown key: admins get not_found from the use case, an engineer forbidden',
  },
  'app/partner/members/actions.ts#inviteMemberAction': {
    allow: ADMINS,
    page: '/partner/members',
    form: () => ({ email: uniqueEmail('matrix'), role: 'engineer' }),
  },
  'app/_actions/sign-out.ts#signOutAction': { allow: ALL, page: '/' },
};

type Ids = Record<string, string>;
const BASE = `http://localhost:${E2E_PORT}`;

/** Every API route and page of the source tree, as `METHOD /path` and `/path`. */
function discover(): { api: string[]; pages: string[] } {
  const files = fs.readdirSync('app', { recursive: true }) as string[];
  const api: string[] = [];
  for (const f of files.filter((x) => x.endsWith('route.ts'))) {
    const src = fs.readFileSync(path.join('app', f), 'utf8');
    const url = `/${path.dirname(f)}`.replace(/\\/g, '/');
    for (const m of src.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b|export \{ ([A-Z, ]+) \}/g)) {
      for (const method of (m[1] ?? m[2]).split(/,\s*/)) api.push(`${method} ${url}`);
    }
  }
  const pages = files.filter((x) => x.endsWith('page.tsx')).map((f) => `/${path.dirname(f)}`.replace(/\/\.$/, '').replace(/\\/g, '/') || '/');
  return { api: api.sort(), pages: pages.map((p) => (p === '/.' ? '/' : p)).sort() };
}

/** The build's server actions (id, file, export). */
function serverActions(): { id: string; key: string }[] {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, a]) => ({ id, key: `${a.filename}#${a.exportedName}` }));
}

const fill = (pattern: string, ids: Ids) => pattern.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, p: string) => ids[p] ?? crypto.randomUUID());

/** A denial, as each kind of surface answers it. */
function apiDenied(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

async function newRole(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, email?: string, password?: string) {
  const ctx = await playwright.request.newContext({ baseURL: BASE, extraHTTPHeaders: SAME_ORIGIN });
  if (email) await signInByApi(ctx, email, password!);
  return ctx;
}

async function signUpRole(browser: Browser, kind: 'individual' | 'partner') {
  const page = await browser.newPage();
  const email = uniqueEmail(`matrix-${kind}`);
  await signUpAndVerify(page, {
    kind,
    name: `Matrix ${kind}`,
    email,
    password: 'a long matrix password',
    organizationName: kind === 'partner' ? `Matrix Org ${Date.now()}` : undefined,
  });
  await page.close();
  return email;
}

test.describe.configure({ mode: 'serial' });

test('every page, server action and API route allows exactly the roles of the matrix', async ({ browser, playwright }) => {
  test.setTimeout(300_000);
  const found = discover();
  const actions = serverActions();
  expect(found.api, 'every API route has an entry (and every entry a route)').toEqual(Object.keys(API).sort());
  expect(found.pages, 'every page has an entry').toEqual(Object.keys(PAGES).sort());
  expect([...new Set(actions.map((a) => a.key))].sort(), 'every server action has an entry').toEqual(Object.keys(ACTIONS).sort());

  // The roles: the demo accounts, and three more made through the product.
  const ctx: Partial<Record<Role, APIRequestContext>> = {};
  ctx.anonymous = await newRole(playwright);
  ctx.personA = await newRole(playwright, 'demo@forgetme.example', DEMO_PASSWORD);
  ctx.adminA = await newRole(playwright, 'admin@facelab.example', DEMO_PASSWORD);
  ctx.complianceA = await newRole(playwright, 'compliance@facelab.example', DEMO_PASSWORD);
  ctx.auditor = await newRole(playwright, 'auditor@forgetme.example', DEMO_PASSWORD);
  ctx.personB = await newRole(playwright, await signUpRole(browser, 'individual'), 'a long matrix password');
  ctx.adminB = await newRole(playwright, await signUpRole(browser, 'partner'), 'a long matrix password');
  const engineer = uniqueEmail('matrix-engineer');
  expect((await ctx.adminA.post('/api/v1/organization/invitations', { data: { email: engineer, role: 'engineer' } })).status()).toBe(201);
  const invite = await browser.newPage();
  await invite.goto((await waitForMail(engineer, { subject: /invited to join/ })).links[0]);
  await invite.getByLabel('Your name').fill('Eve Engineer');
  await invite.getByLabel('Choose a password').fill('a long matrix password');
  await invite.getByRole('button', { name: 'Join the organisation' }).click();
  await expect(invite).toHaveURL(/\/sign-in\?verified=1/);
  await invite.close();
  ctx.engineerA = await newRole(playwright, engineer, 'a long matrix password');

  // Organisation A's and person A's resources.
  const json = async (c: APIRequestContext, url: string) => (await c.get(url)).json();
  const ids: Ids = {
    version: '1',
    token: 'not-an-invitation',
    nextauth: 'session',
    matchId: crypto.randomUUID(),
    checkId: crypto.randomUUID(),
    path: '0/000.p/1',
  };
  ids.datasetId = (await json(ctx.adminA, '/api/v1/datasets')).data[0].id;
  ids.uploadId = (await json(ctx.adminA, `/api/v1/datasets/${ids.datasetId}/uploads`)).data[0].id;
  ids.modelId = (await json(ctx.adminA, '/api/v1/models')).data[0].id;
  const endpoint = async () =>
    (await (await ctx.adminA!.post('/api/v1/webhooks/endpoints', { data: { url: 'http://localhost:9/matrix', events: ['ping'] } })).json()).endpoint
      .id as string;
  ids.endpointId = await endpoint();
  ids.deliveryId = (await (await ctx.adminA.post(`/api/v1/webhooks/endpoints/${ids.endpointId}/ping`)).json()).deliveryIds[0];
  const certs = (await json(ctx.complianceA, '/api/v1/compliance/certificates')).data;
  expect(certs.length, 'the journey (run before this file) issued a certificate to organisation A').toBeGreaterThan(0);
  ids.certificateId = certs[0].id;
  // Person A (the demo individual) opens a request through the consent page.
  const consent = await browser.newPage();
  await consent.context().addCookies(await ctx.personA.storageState().then((s) => s.cookies));
  await consent.goto('/me/requests/new');
  await consent.getByRole('checkbox', { name: /I agree that forgetme processes photos/ }).check();
  await consent.getByRole('button', { name: 'Agree and continue' }).click();
  await expect(consent).toHaveURL(/\/me\/requests\/[0-9a-f-]{36}$/);
  ids.requestId = consent.url().split('/').pop()!;
  await consent.close();
  const deletable: Partial<Record<Role, Ids>> = { adminA: { endpointId: await endpoint() }, engineerA: { endpointId: await endpoint() } };

  const failures: string[] = [];
  const expectAllowed = (what: string, role: Role, allowed: boolean, denied: boolean, detail: string) => {
    if (allowed === denied) failures.push(`${what} as ${role}: ${allowed ? 'allowed' : 'denied'} expected, got ${detail}`);
  };

  for (const [key, entry] of Object.entries(API)) {
    const [method, pattern] = key.split(' ');
    for (const role of ROLES) {
      const own = key.startsWith('DELETE') ? { ...ids, ...deletable[role] } : ids;
      const url = pattern === '/api/auth/[...nextauth]' ? (method === 'GET' ? '/api/auth/session' : '/api/auth/callback/credentials') : fill(pattern, own);
      const res = await ctx[role]!.fetch(url, { method, data: method === 'GET' ? undefined : (entry.data ?? {}), maxRedirects: 0 });
      const allowed = entry.allow.includes(role);
      const denied = entry.ownerNotFound && allowed ? res.status() === 401 || res.status() === 403 : apiDenied(res.status());
      expectAllowed(key, role, allowed, denied, String(res.status()));
    }
  }

  for (const [pattern, entry] of Object.entries(PAGES)) {
    for (const role of ROLES) {
      const url = fill(pattern, ids);
      const res = await ctx[role]!.get(url, { maxRedirects: 0 });
      const location = res.headers().location ?? '';
      const denied =
        res.status() === 404 || res.status() === 403 || /\/sign-in\?next=|denied=/.test(location) || (pattern === '/home' && /\/sign-in$/.test(location));
      expectAllowed(`page ${pattern}`, role, entry.allow.includes(role), denied, `${res.status()} ${location}`);
    }
  }

  // Server actions as the browser sends them: React's reply encoding, the action id, the page's origin.
  const ordered = Object.entries(ACTIONS).sort(([a], [b]) => Number(a.endsWith('#signOutAction')) - Number(b.endsWith('#signOutAction')));
  for (const [key, entry] of ordered) {
    const id = actions.find((a) => a.key === key)!.id;
    for (const role of ROLES) {
      const fields = entry.form?.(ids) ?? {};
      // The form's fields first, as `_1_name`, then the arguments (previous state, the form): the order the server reads them in.
      const multipart = new FormData();
      for (const [k, v] of Object.entries(fields)) multipart.append(`_1_${k}`, v);
      multipart.append('0', JSON.stringify(['$undefined', '$K1']));
      const res = await ctx[role]!.post(fill(entry.page, ids), {
        headers: { 'next-action': id, origin: BASE, accept: 'text/x-component' },
        multipart,
        maxRedirects: 0,
      });
      const redirect = res.headers()['x-action-redirect'] ?? '';
      const body = await res.text();
      const denied = /\/sign-in\?next=|denied=/.test(redirect) || /"code":"(forbidden|unauthenticated|not_found)"/.test(body);
      const allowed = entry.allow.includes(role);
      // An admin revoking an unknown key is told not_found by the use case, after the role check.
      const unknownKey = /#revoke(Deployment)?KeyAction$/.test(key) && allowed && /"code":"not_found"/.test(body);
      if (res.status() >= 500) failures.push(`${key} as ${role}: ${res.status()}`);
      else expectAllowed(key, role, allowed, denied && !unknownKey, `${res.status()} ${redirect} ${body.slice(0, 160)}`);
    }
  }
  expect(failures, `${failures.length} cells of the matrix differ`).toEqual([]);
});
