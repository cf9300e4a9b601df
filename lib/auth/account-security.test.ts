import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { seedIndividual, seedPartner, seedMembership, seedUser } from '@/db/seed/factories';
import { auditEvents, emails, organizations, removalRequests, requestReferences, signInFailures, users } from '@/db/schema';
import { env } from '@/lib/config/env';
import { AppError, type ErrorCode } from '@/lib/errors/app-error';
import { stopBoss } from '@/lib/jobs/boss';
import { deliverEmail } from '@/lib/mail/deliver-email';
import { WITHHELD } from '@/lib/mail/queue-email';
import { acceptInvitation } from '@/lib/orgs/accept-invitation';
import { inviteMember } from '@/lib/orgs/invite-member';
import { CONSENT_VERSION } from '@/lib/removals/consent';
import { addReference } from '@/lib/removals/references';
import { startRequest } from '@/lib/removals/start-request';
import { reference } from '@/lib/testing/removal-fixtures';
import { readOutbox } from '@/lib/testing/outbox';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { sweepAccounts } from './accounts-sweep';
import { deleteAccount } from './delete-account';
import { issueDeviceToken } from './device-cookie';
import { loadSessionUser } from './load-session-user';
import { requestPasswordReset, resetPassword } from './password-reset';
import { createSession, revokeSession } from './sessions';
import { signUp, SIGN_UP_LIMITS } from './sign-up';
import { verifyCredentials } from './verify-credentials';
import { verifyEmail } from './verify-email';

setUpTestEnvironment();
after(() => stopBoss());

const code = (c: ErrorCode) => (e: unknown) => e instanceof AppError && e.code === c;
const IP = '198.51.100.20';

async function deliverPending(db: import('@/db/client').Database) {
  for (const { id } of await db.select({ id: emails.id }).from(emails).where(eq(emails.status, 'pending'))) await deliverEmail({ emailId: id });
}

function linkTo(to: string, path: string): string {
  const link = readOutbox(to)
    .at(-1)
    ?.links.find((l) => l.includes(path));
  assert.ok(link, `a mail with a ${path} link was sent to ${to}`);
  return link;
}

describeEachDriver('account security', ({ handle, driver }) => {
  test('sign-out ends the session on the server: its cookie no longer signs anyone in', async () => {
    const person = await seedIndividual();
    const sid = await createSession(person.id);
    assert.equal((await loadSessionUser(person.id, sid))?.id, person.id);
    await revokeSession(sid);
    assert.equal(await loadSessionUser(person.id, sid), null);
    assert.equal(await loadSessionUser(person.id, crypto.randomUUID()), null, 'a session id that was never issued');
    const events = await handle().db.select().from(auditEvents).where(eq(auditEvents.action, 'user.signed_out'));
    assert.equal(events.filter((e) => e.subjectId === person.id).length, 1);
  });

  test("an attacker's failures never slow the owner's trusted browser, and the owner is never locked out", async () => {
    const owner = await seedIndividual();
    const device = issueDeviceToken(owner.id);
    for (let i = 0; i < 40; i++) await verifyCredentials({ email: owner.email, password: 'wrong guess 123', ip: IP }).catch(() => {});
    await assert.rejects(verifyCredentials({ email: owner.email, password: owner.password, ip: IP }), code('rate_limited'));
    const signedIn = await verifyCredentials({ email: owner.email, password: owner.password, ip: IP, deviceToken: device });
    assert.equal(signedIn.userId, owner.id);
    assert.equal(signedIn.deviceToken, device, 'the trusted device keeps its cookie');
    // Another account's device cookie, or a forged one, is no trust at all.
    const other = await seedIndividual();
    await assert.rejects(
      verifyCredentials({ email: owner.email, password: owner.password, ip: IP, deviceToken: issueDeviceToken(other.id) }),
      code('rate_limited'),
    );
    await assert.rejects(
      verifyCredentials({ email: owner.email, password: owner.password, ip: IP, deviceToken: `${device.slice(0, -2)}xx` }),
      code('rate_limited'),
    );
  });

  test('waits double with each further failure, up to 15 minutes, and are counted in the database', async () => {
    const person = await seedIndividual();
    const ip = '203.0.113.50';
    for (let i = 0; i < 6; i++) await verifyCredentials({ email: person.email, password: 'wrong guess 123', ip }).catch(() => {});
    const key = `account-network:${person.email}:203.0.113.0/24`;
    // Age the failures so the next ones are allowed, then fail more: 7, 8, 9 failures wait 2, 4, 8 s.
    for (const expected of [2, 4, 8]) {
      await handle()
        .db.update(signInFailures)
        .set({ lastFailureAt: new Date(Date.now() - 3600_000) })
        .where(eq(signInFailures.key, key));
      await assert.rejects(verifyCredentials({ email: person.email, password: 'wrong guess 123', ip }), code('invalid_credentials'));
      await assert.rejects(verifyCredentials({ email: person.email, password: person.password, ip }), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === 'rate_limited');
        assert.ok(Math.abs(Number(e.details?.retryAfterSeconds) - expected) <= 1, `wait ${String(e.details?.retryAfterSeconds)} s, expected ${expected}`);
        return true;
      });
    }
  });

  test('password reset: one answer for every address, a single-use hashed link, every session signed out', async () => {
    const person = await seedIndividual();
    const sid = await createSession(person.id);
    await requestPasswordReset({ email: 'nobody-at-all@example.test', ip: IP });
    await requestPasswordReset({ email: person.email, ip: IP });
    const [row] = await handle().db.select().from(emails).where(eq(emails.to, person.email));
    assert.ok(!/reset-password\?token=/.test(row.text + row.html), 'the stored copy withholds the link');
    assert.ok(row.text.includes(WITHHELD));
    await deliverPending(handle().db);
    const [sent] = await handle().db.select().from(emails).where(eq(emails.to, person.email));
    assert.equal(sent.sealedBody, null, 'the sealed copy is dropped once sent');
    assert.equal(readOutbox('nobody-at-all@example.test').length, 0);
    const token = new URL(linkTo(person.email, '/reset-password')).searchParams.get('token')!;
    await assert.rejects(resetPassword({ token, password: 'short' }), code('validation_failed'));
    await resetPassword({ token, password: 'a brand new password' });
    await assert.rejects(resetPassword({ token, password: 'another new password' }), code('token_used'));
    assert.equal(await loadSessionUser(person.id, sid), null, 'the old session is signed out');
    await assert.rejects(verifyCredentials({ email: person.email, password: person.password, ip: IP }), code('invalid_credentials'));
    assert.equal((await verifyCredentials({ email: person.email, password: 'a brand new password', ip: '192.0.2.77' })).userId, person.id);
    for (let i = 1; i < 3; i++) await requestPasswordReset({ email: person.email, ip: IP });
    await assert.rejects(requestPasswordReset({ email: person.email, ip: IP }), code('rate_limited'));
  });

  test('an unconfirmed address is not taken: signing up again replaces the squatter, and it expires after a day', async () => {
    const email = `squat-${driver}@example.test`;
    const first = await signUp({ kind: 'partner', name: 'Squatter', email, password: 'squatter password', organizationName: 'Squat Inc' }, { ip: IP });
    const second = await signUp({ kind: 'individual', name: 'Owner', email, password: 'owner password 1' }, { ip: '192.0.2.40' });
    assert.notEqual(first.userId, second.userId);
    assert.equal((await handle().db.select().from(users).where(eq(users.id, first.userId))).length, 0);
    assert.equal((await handle().db.select().from(organizations).where(eq(organizations.id, first.organizationId!))).length, 0);
    await deliverPending(handle().db);
    const mail = readOutbox(email).at(-1)!;
    assert.ok(!/Squat|Owner/.test(mail.text), 'no mail echoes a name someone typed');
    await handle()
      .db.update(users)
      .set({ createdAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(users.id, second.userId));
    const swept = await sweepAccounts();
    assert.ok(swept.unverified >= 1);
    assert.equal((await handle().db.select().from(users).where(eq(users.email, email))).length, 0);
  });

  test('an invitation reaches an address held by an unconfirmed account, and accepting replaces it', async () => {
    const { organization, admin } = await seedPartner();
    const email = `invited-${driver}@example.test`;
    await seedUser({ kind: 'individual', email, verified: false });
    await inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email, role: 'engineer' } });
    await deliverPending(handle().db);
    const mail = readOutbox(email).at(-1)!;
    assert.ok(!mail.text.includes(organization.name) && !mail.text.includes(admin.name), 'the invitation names no one');
    const token = linkTo(email, '/invite/').split('/invite/')[1];
    const { userId } = await acceptInvitation({ token, name: 'Eve', password: 'a long password' });
    const [u] = await handle().db.select().from(users).where(eq(users.email, email));
    assert.equal(u.id, userId);
    assert.ok(u.emailVerifiedAt);
  });

  test('sign-ups are limited per address and per network', async () => {
    const email = `many-${driver}@example.test`;
    for (let i = 0; i < SIGN_UP_LIMITS.perAddress; i++)
      await signUp({ kind: 'individual', name: 'M', email, password: 'a long password' }, { ip: `192.0.${i}.1` });
    await assert.rejects(signUp({ kind: 'individual', name: 'M', email, password: 'a long password' }, { ip: '192.0.9.1' }), code('rate_limited'));
    const ip = '100.64.7.1';
    for (let i = 0; i < env().signUpsPerNetwork; i++)
      await signUp({ kind: 'individual', name: 'N', email: `n${i}-${driver}@example.test`, password: 'a long password' }, { ip });
    await assert.rejects(
      signUp({ kind: 'individual', name: 'N', email: `n-last-${driver}@example.test`, password: 'a long password' }, { ip: '100.64.7.200' }),
      code('rate_limited'),
    );
  });

  test('deleting an account withdraws drafts, deletes every reference photo at once, erases the person and keeps the audit trail', async () => {
    const person = await seedIndividual();
    const sid = await createSession(person.id);
    const draft = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
    await addReference({ userId: person.id, requestId: draft.id, bytes: reference('Amelia_Vega') });
    assert.equal((await handle().db.select().from(requestReferences).where(eq(requestReferences.requestId, draft.id))).length, 1);
    await assert.rejects(deleteAccount({ userId: person.id, password: 'not the password' }), code('invalid_credentials'));
    const result = await deleteAccount({ userId: person.id, password: person.password });
    assert.deepEqual(result, { withdrawn: 1, continuing: 0 });
    assert.equal((await handle().db.select().from(requestReferences).where(eq(requestReferences.requestId, draft.id))).length, 0);
    const [r] = await handle().db.select().from(removalRequests).where(eq(removalRequests.id, draft.id));
    assert.equal(r.status, 'withdrawn');
    assert.ok(r.purgedAt);
    const [u] = await handle().db.select().from(users).where(eq(users.id, person.id));
    assert.ok(u.deletedAt && !u.email.includes(person.email.split('@')[0]) && u.name === 'Deleted account');
    assert.equal(await loadSessionUser(person.id, sid), null);
    await assert.rejects(verifyCredentials({ email: person.email, password: person.password, ip: '192.0.2.90' }), code('invalid_credentials'));
    const trail = await handle().db.select().from(auditEvents).where(eq(auditEvents.subjectId, person.id));
    assert.ok(trail.some((e) => e.action === 'user.deleted'));
  });

  test("an organisation's only admin cannot delete their account; a member can", async () => {
    const { organization, admin } = await seedPartner();
    const engineer = await seedUser({ kind: 'partner' });
    await seedMembership({ organizationId: organization.id, userId: engineer.id, role: 'engineer' });
    await assert.rejects(deleteAccount({ userId: admin.id, password: admin.password }), code('conflict'));
    assert.deepEqual(await deleteAccount({ userId: engineer.id, password: engineer.password }), { withdrawn: 0, continuing: 0 });
  });

  test('a verification link is stored only as a hash and sealed until sent', async () => {
    const email = `sealed-${driver}@example.test`;
    await signUp({ kind: 'individual', name: 'S', email, password: 'a long password' }, { ip: '192.0.2.200' });
    const [row] = await handle().db.select().from(emails).where(eq(emails.to, email));
    assert.ok(row.sealedBody && !row.text.includes('token='));
    await deliverPending(handle().db);
    const token = new URL(linkTo(email, '/verify-email')).searchParams.get('token')!;
    assert.ok(!row.sealedBody.includes(token));
    assert.equal((await verifyEmail({ token })).email, email);
  });
});
