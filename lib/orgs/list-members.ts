import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { invitations, memberships, users } from '@/db/schema';
import { requireOrgRole } from './require-org-role';

/** Members and open invitations of an organisation, for any of its members. */
export async function listMembers(opts: { actorUserId: string; organizationId: string }) {
  const db = await getDb();
  await requireOrgRole(db, { userId: opts.actorUserId, organizationId: opts.organizationId, roles: ['admin', 'engineer', 'compliance'] });
  const members = await db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, opts.organizationId))
    .orderBy(asc(memberships.createdAt));
  const pending = await db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(eq(invitations.organizationId, opts.organizationId), isNull(invitations.acceptedAt)))
    .orderBy(desc(invitations.createdAt));
  return { members, invitations: pending.filter((i) => i.expiresAt.getTime() > Date.now()) };
}
