import 'server-only';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { memberships, organizations, users, userSessions } from '@/db/schema';
import { rolesOf, type SessionUser } from './roles';

/**
 * The signed-in person as pages and handlers see them, read fresh from the database, if their
 * session `sessionId` is still open (not signed out, not revoked, not expired): else null.
 */
export async function loadSessionUser(userId: string, sessionId: string): Promise<SessionUser | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      kind: users.kind,
      orgId: organizations.id,
      orgName: organizations.name,
      role: memberships.role,
    })
    .from(users)
    .innerJoin(
      userSessions,
      and(eq(userSessions.id, sessionId), eq(userSessions.userId, users.id), isNull(userSessions.revokedAt), gt(userSessions.expiresAt, new Date())),
    )
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    roles: rolesOf(row.kind, row.role),
    organization: row.orgId && row.orgName && row.role ? { id: row.orgId, name: row.orgName, role: row.role } : null,
  };
}
