import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emailTokens, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/config/env';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { verifyEmailMail } from '@/lib/mail/templates';
import { hitRateLimit } from './rate-limit';
import { emailSchema } from './schemas';
import { VERIFY_EMAIL_HOURS } from './sign-up';
import { newToken } from './tokens';
import { AppError } from '@/lib/errors/app-error';

/**
 * Sends a fresh verification link to an unverified account. Answers the same whether or not the
 * address has an account (no account enumeration); limited to 5 per address per hour.
 */
export async function resendVerification({ email }: { email: string }): Promise<void> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new AppError('validation_failed', 'email: must be a valid e-mail address.');
  const address = parsed.data;
  if ((await hitRateLimit({ key: `verify-resend:${address}`, max: 5, windowSeconds: 3600 })) > 5) {
    throw new AppError('rate_limited', 'Too many verification e-mails were asked for this address. Try again in an hour.');
  }
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, address));
  if (!user || user.emailVerifiedAt) return;
  const { token, hash } = newToken();
  const emailId = await db.transaction(async (tx) => {
    await tx.insert(emailTokens).values({
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: hash,
      expiresAt: new Date(Date.now() + VERIFY_EMAIL_HOURS * 3600_000),
    });
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: user.id },
      event: { action: 'user.verification_resent', subject: { type: 'user', id: user.id }, data: {} },
    });
    return queueEmail(tx, address, verifyEmailMail({ link: `${env().publicUrl}/verify-email?token=${token}`, hours: VERIFY_EMAIL_HOURS }));
  });
  await requestDelivery(emailId);
}
