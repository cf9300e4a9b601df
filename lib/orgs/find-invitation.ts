import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { invitations, organizations } from '@/db/schema';
import { tokenSchema } from '@/lib/auth/schemas';
import { hashToken } from '@/lib/auth/tokens';
import { AppError } from '@/lib/errors/app-error';

/** The open invitation behind a link token; refuses unknown, used and expired links. */
export async function findOpenInvitation(tx: Executor, token: string) {
  const invalid = new AppError('token_invalid', 'This invitation link is not valid. Ask your administrator for a new one.');
  if (!tokenSchema.safeParse(token).success) throw invalid;
  const [row] = await tx
    .select({ invitation: invitations, organizationName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) throw invalid;
  if (row.invitation.acceptedAt) throw new AppError('token_used', 'This invitation was already accepted. Sign in instead.');
  if (row.invitation.expiresAt.getTime() < Date.now())
    throw new AppError('token_expired', 'This invitation has expired. Ask your administrator for a new one.');
  return { ...row.invitation, organizationName: row.organizationName };
}
