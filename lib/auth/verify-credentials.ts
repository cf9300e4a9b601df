import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { AuditEvent } from '@/lib/audit/events';
import { AppError } from '@/lib/errors/app-error';
import { networkOf } from '@/lib/http/client-address';
import { issueDeviceToken, trustedDeviceFor } from './device-cookie';
import { dummyPasswordHash, verifyPassword } from './password';
import { signInSchema } from './schemas';
import { clearFailures, recordFailure, signInKeys, throttleWait } from './sign-in-throttle';

async function audit(userId: string, event: AuditEvent): Promise<void> {
  const db = await getDb();
  await db.transaction((tx) => recordAuditEvent(tx, { actor: { type: 'user', id: userId }, event }));
}

/** "8 seconds", "3 minutes": how long a throttled sign-in must wait. */
export function waitPhrase(seconds: number): string {
  return seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * Checks an e-mail and password under the sign-in throttle (lib/auth/sign-in-throttle.ts): while
 * any of the attempt's keys must wait, the password is not even checked (no guess is evaluated),
 * and the answer says how long. A success clears the account's failures and returns the device
 * cookie to set (the one presented, or a new one).
 */
export async function verifyCredentials(input: {
  email: unknown;
  password: unknown;
  ip: string;
  deviceToken?: string | null;
}): Promise<{ userId: string; deviceToken: string }> {
  const parsed = signInSchema.safeParse({ email: input.email, password: input.password });
  if (!parsed.success) throw new AppError('invalid_credentials', 'The e-mail address or password is wrong.');
  const { email, password } = parsed.data;
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)));
  const trustedDevice = user ? trustedDeviceFor(input.deviceToken, user.id) : null;
  const keys = signInKeys({ email, network: networkOf(input.ip), trustedDevice });

  const wait = await throttleWait(keys);
  if (wait > 0) {
    throw new AppError('rate_limited', `Too many failed sign-ins. Try again in ${waitPhrase(wait)}.`, { retryAfterSeconds: wait });
  }
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) {
    await recordFailure(keys);
    if (user) await audit(user.id, { action: 'user.sign_in_failed', subject: { type: 'user', id: user.id }, data: { reason: 'invalid_password' } });
    throw new AppError('invalid_credentials', 'The e-mail address or password is wrong.');
  }
  if (!user.emailVerifiedAt) {
    throw new AppError('email_not_verified', 'Confirm your e-mail address first: open the link we sent you, or ask for a new one.');
  }
  await clearFailures(keys.filter((k) => !k.key.startsWith('network:')).map((k) => k.key));
  await audit(user.id, { action: 'user.signed_in', subject: { type: 'user', id: user.id }, data: {} });
  return { userId: user.id, deviceToken: trustedDevice && input.deviceToken ? input.deviceToken : issueDeviceToken(user.id) };
}
