import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { userSessions } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';

/** A session lasts at most this long from sign-in, however active (the cookie itself is refreshed). */
export const SESSION_HOURS = 12;

/** Opens a server-side session for a sign-in; the session cookie carries its id. */
export async function createSession(userId: string): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .insert(userSessions)
    .values({ userId, expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000) })
    .returning({ id: userSessions.id });
  return row.id;
}

/** Ends one session (sign-out): its cookie no longer signs anyone in, on any server. Audited once. */
export async function revokeSession(sessionId: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [ended] = await tx
      .update(userSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt)))
      .returning({ userId: userSessions.userId });
    if (!ended) return;
    const actor = { type: 'user', id: ended.userId } as const;
    await recordAuditEvent(tx, { actor, event: { action: 'user.signed_out', subject: { type: 'user', id: ended.userId }, data: {} } });
  });
}

/** Ends every session of a person (password reset, account deletion), inside the caller's transaction. */
export async function revokeAllSessions(tx: Executor, userId: string): Promise<void> {
  await tx
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));
}

/** Deletes sessions that can no longer be used (expired, or revoked a day ago); returns how many. */
export async function deleteDeadSessions(): Promise<number> {
  const db = await getDb();
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  const gone = await db
    .delete(userSessions)
    .where(or(lt(userSessions.expiresAt, new Date()), lt(userSessions.revokedAt, dayAgo)))
    .returning({ id: userSessions.id });
  return gone.length;
}
