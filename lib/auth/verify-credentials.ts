import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { AuditEvent } from '@/lib/audit/events';
import { AppError } from '@/lib/errors/app-error';
import { assertUnderLimit, hitRateLimit, resetRateLimit } from './rate-limit';
import { dummyPasswordHash, verifyPassword } from './password';
import { signInSchema } from './schemas';

/** Failed sign-ins allowed per account, and attempts per IP address, in a 15-minute window. */
export const SIGN_IN_LIMITS = { perAccount: 5, perIp: 30, windowSeconds: 15 * 60 };

const RATE_LIMITED = 'Too many sign-in attempts. Wait 15 minutes and try again.';

async function audit(userId: string, event: AuditEvent): Promise<void> {
  const db = await getDb();
  await db.transaction((tx) => recordAuditEvent(tx, { actor: { type: 'user', id: userId }, event }));
}

/**
 * Checks an e-mail and password. Rate-limited per account (failures) and per IP (attempts),
 * with the counters in the database so the limits hold across processes.
 */
export async function verifyCredentials(input: { email: unknown; password: unknown; ip: string }): Promise<{ userId: string }> {
  const parsed = signInSchema.safeParse({ email: input.email, password: input.password });
  if (!parsed.success) throw new AppError('invalid_credentials', 'The e-mail address or password is wrong.');
  const { email, password } = parsed.data;
  const { perAccount, perIp, windowSeconds } = SIGN_IN_LIMITS;
  const accountKey = `sign-in:account:${email}`;

  if ((await hitRateLimit({ key: `sign-in:ip:${input.ip}`, max: perIp, windowSeconds })) > perIp) {
    throw new AppError('rate_limited', RATE_LIMITED);
  }
  await assertUnderLimit({ key: accountKey, max: perAccount, windowSeconds }, RATE_LIMITED);

  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) {
    await hitRateLimit({ key: accountKey, max: perAccount, windowSeconds });
    if (user) await audit(user.id, { action: 'user.sign_in_failed', subject: { type: 'user', id: user.id }, data: { reason: 'invalid_password' } });
    throw new AppError('invalid_credentials', 'The e-mail address or password is wrong.');
  }
  if (!user.emailVerifiedAt) {
    throw new AppError('email_not_verified', 'Confirm your e-mail address first: open the link we sent you, or ask for a new one.');
  }
  await resetRateLimit(accountKey);
  await audit(user.id, { action: 'user.signed_in', subject: { type: 'user', id: user.id }, data: {} });
  return { userId: user.id };
}
