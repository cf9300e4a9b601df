import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emailTokens, memberships, organizations, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { verifyEmailMail } from '@/lib/mail/templates';
import { isUniqueViolation } from '@/db/errors';
import { networkOf } from '@/lib/http/client-address';
import { hashPassword } from './password';
import { hitRateLimit } from './rate-limit';
import { signUpSchema, type SignUpInput } from './schemas';
import { newToken } from './tokens';
import { deleteUnverifiedAccount, UNVERIFIED_HOURS } from './unverified-accounts';

export const VERIFY_EMAIL_HOURS = UNVERIFIED_HOURS;

/** Sign-ups per hour: for one address, and in all; per network it is FORGETME_SIGN_UPS_PER_NETWORK (10). */
export const SIGN_UP_LIMITS = { perAddress: 3, global: 500 };

async function assertSignUpAllowed(email: string, ip: string): Promise<void> {
  const hour = 3600;
  const checks = [
    { key: `sign-up:global`, max: SIGN_UP_LIMITS.global, message: 'forgetme is taking too many new accounts right now. Try again in an hour.' },
    {
      key: `sign-up:network:${networkOf(ip)}`,
      max: env().signUpsPerNetwork,
      message: 'Too many accounts were created from your network. Try again in an hour.',
    },
    { key: `sign-up:address:${email}`, max: SIGN_UP_LIMITS.perAddress, message: 'Too many sign-ups were made with this address. Try again in an hour.' },
  ];
  for (const c of checks) {
    if ((await hitRateLimit({ key: c.key, max: c.max, windowSeconds: hour })) > c.max) {
      throw new AppError('rate_limited', c.message, { retryAfterSeconds: hour });
    }
  }
}

/**
 * Creates an account (and, for a partner, its organisation with the person as admin), and queues
 * the verification e-mail, all in one transaction: a failure leaves nothing behind. Limited per
 * address, per network and in all (SIGN_UP_LIMITS). An address held by an account that never
 * confirmed it is not taken: that account is replaced, so nobody can squat an address they do not
 * read (whoever opens the link in that mailbox confirms the account).
 */
export async function signUp(input: SignUpInput, context: { ip: string }): Promise<{ userId: string; organizationId: string | null }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const data = parsed.data;
  await assertSignUpAllowed(data.email, context.ip);
  const db = await getDb();
  const emailTaken = new AppError('email_taken', 'An account with this e-mail address already exists. Sign in instead.');
  const [existing] = await db.select({ id: users.id, verified: users.emailVerifiedAt }).from(users).where(eq(users.email, data.email));
  if (existing?.verified) throw emailTaken;

  const passwordHash = await hashPassword(data.password);
  const { token, hash } = newToken();
  try {
    const result = await db.transaction(async (tx) => {
      if (existing) await deleteUnverifiedAccount(tx, existing.id);
      const [user] = await tx.insert(users).values({ email: data.email, name: data.name, passwordHash, kind: data.kind }).returning({ id: users.id });
      const actor = { type: 'user', id: user.id } as const;
      await recordAuditEvent(tx, { actor, event: { action: 'user.signed_up', subject: { type: 'user', id: user.id }, data: { kind: data.kind } } });
      let organizationId: string | null = null;
      if (data.kind === 'partner') {
        const [org] = await tx.insert(organizations).values({ name: data.organizationName }).returning({ id: organizations.id });
        organizationId = org.id;
        const [m] = await tx.insert(memberships).values({ organizationId, userId: user.id, role: 'admin' }).returning({ id: memberships.id });
        await recordAuditEvent(tx, {
          actor,
          organizationId,
          event: { action: 'organization.created', subject: { type: 'organization', id: org.id }, data: { name: data.organizationName } },
        });
        await recordAuditEvent(tx, {
          actor,
          organizationId,
          event: { action: 'member.joined', subject: { type: 'membership', id: m.id }, data: { userId: user.id, role: 'admin' } },
        });
      }
      await tx.insert(emailTokens).values({
        userId: user.id,
        purpose: 'verify_email',
        tokenHash: hash,
        expiresAt: new Date(Date.now() + VERIFY_EMAIL_HOURS * 3600_000),
      });
      const emailId = await queueEmail(tx, data.email, verifyEmailMail({ link: `${env().publicUrl}/verify-email?token=${token}`, hours: VERIFY_EMAIL_HOURS }));
      return { userId: user.id, organizationId, emailId };
    });
    await requestDelivery(result.emailId);
    return { userId: result.userId, organizationId: result.organizationId };
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw emailTaken;
    throw err;
  }
}
