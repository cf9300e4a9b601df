/**
 * The account attacks of issue 15, run against a production server over HTTP, each as an attacker
 * would: locking the owner out with wrong passwords, spraying one password over many accounts from
 * rotating X-Forwarded-For addresses, reusing a session cookie after sign-out, a cross-site write
 * with the victim's cookie, and the security headers. Prints one JSON line per attack.
 * Written against the HTTP surface only, so the same file measures an older build ("before").
 * Needs a build (`npx next build`) and PostgreSQL on TEST_DATABASE_URL.
 *
 *   node --import tsx bench/account-attacks.ts
 */
import fs from 'node:fs';
import { startServer } from './server-harness';

const server = await startServer({ port: 3313 });
const { seedIndividual, seedPartner } = await import('@/db/seed/factories');
const { startRequest } = await import('@/lib/removals/start-request');
const { CONSENT_VERSION } = await import('@/lib/removals/consent');
const { closeDb } = await import('@/db/client');
const PHOTO = '/work/shared/data/faces/lfw-strangers/Eric_Daze/Eric_Daze_0001.jpg';

type Jar = Map<string, string>;
const cookieOf = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
function keep(jar: Jar, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    const value = pair.slice(i + 1);
    if (value) jar.set(pair.slice(0, i), value);
    else jar.delete(pair.slice(0, i));
  }
}

/** One credentials sign-in through Auth.js; the outcome is read from its redirect. */
async function attempt(jar: Jar, email: string, password: string, headers: Record<string, string> = {}): Promise<'signed_in' | string> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: cookieOf(jar), ...headers } });
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(jar), ...headers },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: '/home' }),
  });
  keep(jar, res);
  const location = res.headers.get('location') ?? '';
  if (res.status === 302 && !location.includes('error')) return 'signed_in';
  return new URL(location, server.url).searchParams.get('code') ?? `status_${res.status}`;
}

/**
 * A legitimate sign-in on the attacker's network (loopback here): waits as long as a throttled
 * answer says (`rate_limited.SECONDS`) and tries again, as a person would. Returns the seconds waited.
 */
async function signInPatiently(jar: Jar, email: string, password: string): Promise<number> {
  let waited = 0;
  for (let i = 0; i < 5; i++) {
    const outcome = await attempt(jar, email, password);
    if (outcome === 'signed_in') return waited;
    const wait = Number(/^rate_limited\.(\d+)$/.exec(outcome)?.[1] ?? NaN);
    if (!wait) throw new Error(`sign-in failed: ${outcome}`);
    await new Promise((r) => setTimeout(r, wait * 1000));
    waited += wait;
  }
  throw new Error('sign-in still throttled after five waits');
}

const tally = (outcomes: string[]) => outcomes.reduce<Record<string, number>>((t, o) => ({ ...t, [o]: (t[o] ?? 0) + 1 }), {});
const print = (row: Record<string, unknown>) => console.log(JSON.stringify(row));

try {
  // 1. Lock the owner out: wrong passwords for a partner admin's address, from another address.
  const owner = (await seedPartner()).admin;
  const ownerJar: Jar = new Map();
  const first = await attempt(ownerJar, owner.email, owner.password);
  const attacker: string[] = [];
  for (let i = 0; i < 30; i++) attacker.push(await attempt(new Map(), owner.email, 'wrong-password-1', { 'x-forwarded-for': '198.51.100.7' }));
  const ownerAgain = await attempt(ownerJar, owner.email, owner.password);
  const ownerNewBrowser = await attempt(new Map(), owner.email, owner.password);
  // A throttled answer says how long to wait (`rate_limited.SECONDS`); the owner waits that long once.
  const wait = Number(/^rate_limited\.(\d+)$/.exec(ownerNewBrowser)?.[1] ?? 0);
  if (wait) await new Promise((r) => setTimeout(r, wait * 1000));
  const ownerNewBrowserAfterWait = wait ? await attempt(new Map(), owner.email, owner.password) : null;
  print({
    attack: 'owner-lockout',
    ownerFirstSignIn: first,
    attackerAttempts: tally(attacker),
    ownerSameBrowser: ownerAgain,
    ownerNewBrowser,
    ownerNewBrowserAfterWait,
  });

  // 2. Password spraying: one password over 100 addresses, a new X-Forwarded-For each time.
  const victims = await Promise.all(Array.from({ length: 20 }, () => seedIndividual()));
  const spray: string[] = [];
  for (let i = 0; i < 100; i++) {
    const email = i < victims.length ? victims[i].email : `nobody-${i}@example.com`;
    spray.push(await attempt(new Map(), email, 'Summer2026!', { 'x-forwarded-for': `10.${i}.${(i * 7) % 256}.${(i * 13) % 256}` }));
  }
  print({ attack: 'spray', attempts: spray.length, outcomes: tally(spray), passwordsChecked: spray.filter((o) => o === 'invalid_credentials').length });

  // 3. A session cookie kept past sign-out.
  const person = await seedIndividual();
  const jar: Jar = new Map();
  const waitedToSignIn = await signInPatiently(jar, person.email, person.password);
  const stolen = cookieOf(jar);
  const home = (c: string) => fetch(`${server.url}/me`, { headers: { cookie: c }, redirect: 'manual' });
  const before = (await home(stolen)).status;
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: stolen } });
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const out = await fetch(`${server.url}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(jar) },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/' }),
  });
  const beforeOut = (await home(stolen)).status;
  print({
    attack: 'session-after-sign-out',
    signOutStatus: out.status,
    meBeforeSignOut: before,
    mePageWithOldCookie: beforeOut,
    waitedToSignIn,
    note: '200: signed in; 307: sent to sign-in',
  });

  // 4. Cross-site writes carried by the victim's cookie: a form on another site uploading the
  // attacker's photo as the victim's reference (multipart needs no CORS preflight), and a JSON write.
  const victim = await seedIndividual();
  const { id: draftId } = await startRequest({ userId: victim.id, consent: true, consentVersion: CONSENT_VERSION });
  const victimJar: Jar = new Map();
  await signInPatiently(victimJar, victim.email, victim.password);
  const form = new FormData();
  form.append('photo', new Blob([fs.readFileSync(PHOTO)], { type: 'image/jpeg' }), 'me.jpg');
  const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  const upload = await fetch(`${server.url}/api/me/requests/${draftId}/references`, {
    method: 'POST',
    headers: { cookie: cookieOf(victimJar), ...crossSite },
    body: form,
  });
  const admin = (await seedPartner()).admin;
  const adminJar: Jar = new Map();
  await signInPatiently(adminJar, admin.email, admin.password);
  const invite = await fetch(`${server.url}/api/v1/organization/invitations`, {
    method: 'POST',
    headers: { cookie: cookieOf(adminJar), 'content-type': 'application/json', ...crossSite },
    body: JSON.stringify({ email: `planted-${Date.now()}@evil.example`, role: 'admin' }),
  });
  print({ attack: 'cross-site-write', referenceUpload: upload.status, uploadBody: (await upload.text()).slice(0, 140), jsonInvite: invite.status });

  // 5. Security headers on a page and on the API.
  const names = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'strict-transport-security', 'permissions-policy'];
  for (const path of ['/sign-in', '/api/health']) {
    const res = await fetch(`${server.url}${path}`);
    print({ attack: 'headers', path, headers: Object.fromEntries(names.map((n) => [n, res.headers.get(n)])) });
  }
} finally {
  await closeDb();
  await server.stop();
}
