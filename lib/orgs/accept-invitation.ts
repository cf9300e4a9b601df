import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { isUniqueViolation } from '@/db/errors';
import { invitations, memberships, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { hashPassword } from '@/lib/auth/password';
import { nameSchema, passwordSchema } from '@/lib/auth/schemas';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { deleteUnverifiedAccount } from '@/lib/auth/unverified-accounts';
import { findOpenInvitation } from './find-invitation';

const acceptSchema = z.strictObject({ token: z.string(), name: nameSchema, password: passwordSchema });

/**
 * Creates the invited person's partner account (the address is verified: the link reached it)
 * and their membership, and closes the invitation, in one transaction.
 */
export async function acceptInvitation(input: z.input<typeof acceptSchema>): Promise<{ userId: string; email: string }> {
  const parsed = acceptSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const { token, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const inv = await findOpenInvitation(tx, token);
      // The link reached the address: an account there that never confirmed it gives way.
      const [squatter] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.email, inv.email), isNull(users.emailVerifiedAt)));
      if (squatter) await deleteUnverifiedAccount(tx, squatter.id);
      const [user] = await tx
        .insert(users)
        .values({ email: inv.email, name, passwordHash, kind: 'partner', emailVerifiedAt: new Date() })
        .returning({ id: users.id });
      const claimed = await tx
        .update(invitations)
        .set({ acceptedAt: new Date(), acceptedBy: user.id })
        .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
        .returning({ id: invitations.id });
      if (!claimed.length) throw new AppError('token_used', 'This invitation was already accepted. Sign in instead.');
      const [m] = await tx
        .insert(memberships)
        .values({ organizationId: inv.organizationId, userId: user.id, role: inv.role })
        .returning({ id: memberships.id });
      await recordAuditEvent(tx, {
        actor: { type: 'user', id: user.id },
        organizationId: inv.organizationId,
        event: { action: 'member.joined', subject: { type: 'membership', id: m.id }, data: { userId: user.id, role: inv.role, invitationId: inv.id } },
      });
      return { userId: user.id, email: inv.email };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw new AppError('email_taken', 'An account with this e-mail address already exists. Sign in instead.');
    throw err;
  }
}
