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
import { hashPassword } from './password';
import { signUpSchema, type SignUpInput } from './schemas';
import { newToken } from './tokens';

export const VERIFY_EMAIL_HOURS = 24;

/**
 * Creates an account (and, for a partner, its organisation with the person as admin), and queues
 * the verification e-mail, all in one transaction: a failure leaves nothing behind.
 */
export async function signUp(input: SignUpInput): Promise<{ userId: string; organizationId: string | null }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const data = parsed.data;
  const db = await getDb();
  const emailTaken = new AppError('email_taken', 'An account with this e-mail address already exists. Sign in instead.');
  if ((await db.select({ id: users.id }).from(users).where(eq(users.email, data.email))).length) throw emailTaken;

  const passwordHash = await hashPassword(data.password);
  const { token, hash } = newToken();
  try {
    const result = await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: data.email, name: data.name, passwordHash, kind: data.kind })
        .returning({ id: users.id });
      const actor = { type: 'user', id: user.id } as const;
      await recordAuditEvent(tx, { actor, event: { action: 'user.signed_up', subject: { type: 'user', id: user.id }, data: { kind: data.kind } } });
      let organizationId: string | null = null;
      if (data.kind === 'partner') {
        const [org] = await tx.insert(organizations).values({ name: data.organizationName }).returning({ id: organizations.id });
        organizationId = org.id;
        const [m] = await tx.insert(memberships).values({ organizationId, userId: user.id, role: 'admin' }).returning({ id: memberships.id });
        await recordAuditEvent(tx, { actor, organizationId, event: { action: 'organization.created', subject: { type: 'organization', id: org.id }, data: { name: data.organizationName } } });
        await recordAuditEvent(tx, { actor, organizationId, event: { action: 'member.joined', subject: { type: 'membership', id: m.id }, data: { userId: user.id, role: 'admin' } } });
      }
      await tx.insert(emailTokens).values({
        userId: user.id,
        purpose: 'verify_email',
        tokenHash: hash,
        expiresAt: new Date(Date.now() + VERIFY_EMAIL_HOURS * 3600_000),
      });
      const emailId = await queueEmail(
        tx,
        data.email,
        verifyEmailMail({ name: data.name, link: `${env().publicUrl}/verify-email?token=${token}`, hours: VERIFY_EMAIL_HOURS }),
      );
      return { userId: user.id, organizationId, emailId };
    });
    await requestDelivery(result.emailId);
    return { userId: result.userId, organizationId: result.organizationId };
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw emailTaken;
    throw err;
  }
}
