import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { after, test } from 'node:test';
import { emails, emailTokens, users } from '@/db/schema';
import { AppError, type ErrorCode } from '@/lib/errors/app-error';
import { stopBoss } from '@/lib/jobs/boss';
import { deliverEmail } from '@/lib/mail/deliver-email';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { readOutbox } from '@/lib/testing/outbox';
import { resendVerification } from './resend-verification';
import { signUp } from './sign-up';
import { verifyCredentials } from './verify-credentials';
import { verifyEmail } from './verify-email';

setUpTestEnvironment();
after(() => stopBoss());

const code = (c: ErrorCode) => (e: unknown) => e instanceof AppError && e.code === c;

async function deliverAll(db: import('@/db/client').Database) {
  for (const { id } of await db.select({ id: emails.id }).from(emails).where(eq(emails.status, 'pending'))) await deliverEmail({ emailId: id });
}

function tokenFor(to: string): string {
  const link = readOutbox(to).at(-1)?.links[0];
  assert.ok(link, `a mail with a link was sent to ${to}`);
  return new URL(link).searchParams.get('token')!;
}

describeEachDriver('accounts', ({ handle, driver }) => {
  const email = `ann-${driver}@example.test`;

  test('sign-up stores a hashed password, and the verification mail reaches the outbox', async () => {
    await signUp({ kind: 'individual', name: 'Ann', email: `  ${email.toUpperCase()} `, password: 'a long password' }, { ip: '192.0.2.1' });
    const [u] = await handle().db.select().from(users).where(eq(users.email, email));
    assert.equal(u.kind, 'individual');
    assert.equal(u.emailVerifiedAt, null);
    assert.ok(!u.passwordHash.includes('a long password'));
    await deliverAll(handle().db);
    assert.match(readOutbox(email)[0].subject, /Confirm your e-mail/);
  });

  test('an unverified account cannot sign in', async () => {
    await assert.rejects(verifyCredentials({ email, password: 'a long password', ip: '1.1.1.1' }), code('email_not_verified'));
  });

  test('bad fields and unknown fields are refused and write nothing', async () => {
    const before = await handle()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(users);
    await assert.rejects(signUp({ kind: 'individual', name: '', email: 'not-an-email', password: 'short' }, { ip: '192.0.2.1' }), (e: unknown) => {
      assert.ok(e instanceof AppError && e.code === 'validation_failed');
      assert.match(e.message, /name/);
      assert.match(e.message, /email/);
      assert.match(e.message, /password/);
      return true;
    });
    await assert.rejects(
      signUp({ kind: 'individual', name: 'X', email: 'x@example.test', password: 'long enough pw', admin: true } as never, { ip: '192.0.2.1' }),
      (e: unknown) => e instanceof AppError && /unknown field\(s\): admin/.test(e.message),
    );
    await assert.rejects(
      signUp({ kind: 'individual', name: 'x'.repeat(101), email: 'y@example.test', password: 'long enough pw' }, { ip: '192.0.2.1' }),
      code('validation_failed'),
    );
    const afterwards = await handle()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(users);
    assert.deepEqual(afterwards, before);
  });

  test('the verification link works once; then sign-in succeeds', async () => {
    const token = tokenFor(email);
    await assert.rejects(verifyEmail({ token: 'garbage' }), code('token_invalid'));
    assert.equal((await verifyEmail({ token })).email, email);
    await assert.rejects(verifyEmail({ token }), code('token_used'));
    const { userId } = await verifyCredentials({ email, password: 'a long password', ip: '1.1.1.1' });
    assert.ok(userId);
    // A confirmed address is taken (an unconfirmed one is not: account-security.test.ts).
    await assert.rejects(signUp({ kind: 'individual', name: 'Ann 2', email, password: 'another password' }, { ip: '192.0.2.1' }), code('email_taken'));
  });

  test('an expired link is refused', async () => {
    const other = `bob-${driver}@example.test`;
    await signUp({ kind: 'individual', name: 'Bob', email: other, password: 'a long password' }, { ip: '192.0.2.1' });
    await deliverAll(handle().db);
    await handle()
      .db.update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`true`);
    await assert.rejects(verifyEmail({ token: tokenFor(other) }), code('token_expired'));
    await resendVerification({ email: other });
    await deliverAll(handle().db);
    assert.equal((await verifyEmail({ token: tokenFor(other) })).email, other);
  });

  test('a partner sign-up creates an organisation with the person as admin', async () => {
    const r = await signUp(
      { kind: 'partner', name: 'Pat', email: `pat-${driver}@example.test`, password: 'a long password', organizationName: 'Acme Faces' },
      { ip: '192.0.2.1' },
    );
    assert.ok(r.organizationId);
  });

  test('wrong passwords slow the account down from that network only, never from another', async () => {
    for (let i = 0; i < 6; i++) {
      await assert.rejects(verifyCredentials({ email, password: 'wrong password', ip: '2.2.2.2' }), code('invalid_credentials'));
    }
    // Past five free failures the network waits (the right password included: no guess is checked meanwhile)...
    await assert.rejects(verifyCredentials({ email, password: 'a long password', ip: '2.2.2.9' }), (e: unknown) => {
      assert.ok(e instanceof AppError && e.code === 'rate_limited' && Number(e.details?.retryAfterSeconds) >= 1, String(e));
      return true;
    });
    // ...and the owner, elsewhere, signs in.
    assert.ok((await verifyCredentials({ email, password: 'a long password', ip: '5.6.7.8' })).userId);
  });

  test('an unknown account answers exactly like a wrong password', async () => {
    await assert.rejects(verifyCredentials({ email: 'nobody@example.test', password: 'whatever it is', ip: '3.3.3.3' }), code('invalid_credentials'));
  });

  test('one network is slowed down across accounts (password spraying)', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      await verifyCredentials({ email: `n${i}@example.test`, password: 'whatever it is', ip: `4.4.4.${i}` }).catch((e: AppError) => outcomes.push(e.code));
    }
    assert.equal(outcomes.filter((c) => c === 'invalid_credentials').length, 21, 'twenty free failures, then one per doubling wait');
    assert.equal(outcomes.filter((c) => c === 'rate_limited').length, 9);
  });
});
