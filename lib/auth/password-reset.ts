import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { emailTokens, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { networkOf } from '@/lib/http/client-address';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { passwordResetMail } from '@/lib/mail/templates';
import { hashPassword } from './password';
import { hitRateLimit } from './rate-limit';
import { emailSchema, passwordSchema, tokenSchema } from './schemas';
import { revokeAllSessions } from './sessions';
import { clearAccountFailures } from './sign-in-throttle';
import { hashToken, newToken } from './tokens';

export const RESET_MINUTES = 30;
/** Reset mails per address per hour, and reset asks per network per hour. */
export const RESET_LIMITS = { perAddress: 3, perNetwork: 20 };

/**
 * Mails a single-use reset link (only its SHA-256 is stored; it expires in 30 minutes) if the
 * address has an account. The answer is the same whether or not it has one, and the limits count
 * every ask, so neither the answer nor a refusal tells whether an address is registered.
 */
export async function requestPasswordReset(input: { email: unknown; ip: string }): Promise<void> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw new AppError('validation_failed', 'email: must be a valid e-mail address.');
  const email = parsed.data;
  const hour = 3600;
  if ((await hitRateLimit({ key: `reset:network:${networkOf(input.ip)}`, max: RESET_LIMITS.perNetwork, windowSeconds: hour })) > RESET_LIMITS.perNetwork) {
    throw new AppError('rate_limited', 'Too many password resets were asked from your network. Try again in an hour.', { retryAfterSeconds: hour });
  }
  if ((await hitRateLimit({ key: `reset:address:${email}`, max: RESET_LIMITS.perAddress, windowSeconds: hour })) > RESET_LIMITS.perAddress) {
    throw new AppError('rate_limited', 'Too many password resets were asked for this address. Try again in an hour.', { retryAfterSeconds: hour });
  }
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)));
  if (!user) return;
  const { token, hash } = newToken();
  const emailId = await db.transaction(async (tx) => {
    await tx
      .insert(emailTokens)
      .values({ userId: user.id, purpose: 'reset_password', tokenHash: hash, expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) });
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: user.id },
      event: { action: 'user.password_reset_requested', subject: { type: 'user', id: user.id }, data: {} },
    });
    return queueEmail(tx, email, passwordResetMail({ link: `${env().publicUrl}/reset-password?token=${token}`, minutes: RESET_MINUTES }));
  });
  await requestDelivery(emailId);
}

const resetSchema = z.strictObject({ token: z.string(), password: passwordSchema });

/**
 * Sets a new password through a reset link, once: the link is consumed, every other reset link of
 * the account is spent with it, every session is signed out, the account's sign-in failures are
 * forgotten, and the address counts as verified (the link reached it).
 */
export async function resetPassword(input: { token: unknown; password: unknown }): Promise<{ userId: string }> {
  const parsed = resetSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const invalid = new AppError('token_invalid', 'This reset link is not valid. Ask for a new one.');
  if (!tokenSchema.safeParse(parsed.data.token).success) throw invalid;
  const passwordHash = await hashPassword(parsed.data.password);
  const db = await getDb();
  const { userId, email } = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.tokenHash, hashToken(parsed.data.token)), eq(emailTokens.purpose, 'reset_password')))
      .for('update');
    if (!row) throw invalid;
    if (row.usedAt) throw new AppError('token_used', 'This reset link was already used. Ask for a new one if you need to.');
    if (row.expiresAt.getTime() < Date.now()) throw new AppError('token_expired', 'This reset link has expired. Ask for a new one.');
    const now = new Date();
    await tx
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.userId, row.userId), eq(emailTokens.purpose, 'reset_password'), isNull(emailTokens.usedAt)));
    const [user] = await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(and(eq(users.id, row.userId), isNull(users.deletedAt)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw invalid;
    await revokeAllSessions(tx, user.id);
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: user.id },
      event: { action: 'user.password_reset', subject: { type: 'user', id: user.id }, data: {} },
    });
    return { userId: user.id, email: user.email };
  });
  await clearAccountFailures(email);
  return { userId };
}
