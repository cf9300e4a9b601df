import { and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { memberships, type MemberRole } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';

/** Throws forbidden unless the user is a member of the organisation with one of `roles`. */
export async function requireOrgRole(tx: Executor, opts: { userId: string; organizationId: string; roles: MemberRole[] }): Promise<MemberRole> {
  const [m] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, opts.userId), eq(memberships.organizationId, opts.organizationId)));
  if (!m || !opts.roles.includes(m.role)) {
    throw new AppError('forbidden', `This needs the ${opts.roles.join(' or ')} role in the organisation.`);
  }
  return m.role;
}
