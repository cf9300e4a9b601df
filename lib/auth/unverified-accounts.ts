import { and, count, eq, isNull, lt } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { emailTokens, memberships, organizations, users, userSessions } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';

/** An account whose address is not confirmed within this time is deleted (its address is free again). */
export const UNVERIFIED_HOURS = 24;

/**
 * Deletes an account that never confirmed its address, with what sign-up made for it: its links,
 * and, for a partner, its membership and the organisation it created when no one else belongs to
 * it. Such an account could never sign in, so nothing else refers to it. Audited (the audit
 * trail keeps the sign-up). Returns false if the account is verified (then nothing is deleted).
 */
export async function deleteUnverifiedAccount(tx: Executor, userId: string): Promise<boolean> {
  const [user] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
    .for('update');
  if (!user) return false;
  const orgs = await tx.delete(memberships).where(eq(memberships.userId, userId)).returning({ organizationId: memberships.organizationId });
  let organizationRemoved = false;
  for (const { organizationId } of orgs) {
    const [{ n }] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
    if (n) continue;
    await tx.delete(organizations).where(eq(organizations.id, organizationId));
    organizationRemoved = true;
  }
  await tx.delete(emailTokens).where(eq(emailTokens.userId, userId));
  await tx.delete(userSessions).where(eq(userSessions.userId, userId));
  await tx.delete(users).where(eq(users.id, userId));
  await recordAuditEvent(tx, {
    actor: { type: 'system' },
    event: { action: 'user.unverified_expired', subject: { type: 'user', id: userId }, data: { organizationRemoved } },
  });
  return true;
}

/** Deletes every account left unconfirmed past UNVERIFIED_HOURS; returns how many (the accounts sweep). */
export async function expireUnverifiedAccounts(now = new Date()): Promise<number> {
  const db = await getDb();
  const stale = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.emailVerifiedAt), lt(users.createdAt, new Date(now.getTime() - UNVERIFIED_HOURS * 3600_000))))
    .limit(1000);
  let deleted = 0;
  for (const { id } of stale) if (await db.transaction((tx) => deleteUnverifiedAccount(tx, id))) deleted++;
  return deleted;
}
