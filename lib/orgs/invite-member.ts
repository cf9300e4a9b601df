import { and, eq, gt, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { invitations, memberships, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { newToken } from '@/lib/auth/tokens';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { invitationMail } from '@/lib/mail/templates';
import { requireOrgRole } from './require-org-role';
import { inviteMemberSchema } from './schemas';

export const INVITATION_DAYS = 7;
const ROLE_NAMES = { admin: 'an administrator', engineer: 'an engineer', compliance: 'a compliance officer' } as const;

/** An organisation admin invites someone by e-mail with a role; the link is valid for 7 days. */
/** `input` is checked here (a form's strings or the API's body), so it is taken as it comes. */
export async function inviteMember(opts: { actorUserId: string; organizationId: string; input: unknown }): Promise<{ invitationId: string }> {
  const parsed = inviteMemberSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const { email, role } = parsed.data;
  const db = await getDb();
  const { token, hash } = newToken();
  const result = await db.transaction(async (tx) => {
    await requireOrgRole(tx, { userId: opts.actorUserId, organizationId: opts.organizationId, roles: ['admin'] });
    const [existing] = await tx.select({ id: users.id, verified: users.emailVerifiedAt }).from(users).where(eq(users.email, email));
    // An account that never confirmed its address does not block an invitation: accepting replaces it.
    if (existing?.verified) {
      const [member] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.userId, existing.id), eq(memberships.organizationId, opts.organizationId)));
      if (member) throw new AppError('conflict', `${email} is already a member of this organisation.`);
      throw new AppError('email_taken', `${email} already has a forgetme account; invitations are for new partner accounts.`);
    }
    const pending = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.organizationId, opts.organizationId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      );
    if (pending.length) throw new AppError('conflict', `${email} already has a pending invitation.`);
    const [inv] = await tx
      .insert(invitations)
      .values({
        organizationId: opts.organizationId,
        email,
        role,
        tokenHash: hash,
        invitedBy: opts.actorUserId,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86400_000),
      })
      .returning({ id: invitations.id });
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.actorUserId },
      organizationId: opts.organizationId,
      event: { action: 'member.invited', subject: { type: 'invitation', id: inv.id }, data: { email, role } },
    });
    const emailId = await queueEmail(tx, email, invitationMail({ role: ROLE_NAMES[role], link: `${env().publicUrl}/invite/${token}`, days: INVITATION_DAYS }));
    return { invitationId: inv.id, emailId };
  });
  await requestDelivery(result.emailId);
  return { invitationId: result.invitationId };
}
