import { and, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emailTokens, faceGuard, matchWatches, memberships, removalRequests, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { moveRequest, SETTLED } from '@/lib/removals/lifecycle';
import { purgeRequestData } from '@/lib/removals/retention';
import { verifyPassword } from './password';
import { revokeAllSessions } from './sessions';
import { clearAccountFailures } from './sign-in-throttle';

/** Request states from which the person can still withdraw (nothing was removed from any model yet). */
const WITHDRAWABLE = ['draft', 'matching', 'review'] as const;

/**
 * Deletes a person's account, after their password: every request not yet submitted is
 * withdrawn; the biometric data of every request (reference photos and their sealed descriptors)
 * is deleted at once; requests already submitted still complete, because the partners were asked
 * to remove the photos, but no mail goes out any more; every session ends. What stays is what
 * the law and the guarantees need: the audit trail, the certificates and the requests they name
 * (status and dates, no face data), under a row whose name, address and password are erased.
 * A partner member leaves their organisations; an organisation's last admin must hand over first.
 */
export async function deleteAccount(input: { userId: string; password: unknown }): Promise<{ withdrawn: number; continuing: number }> {
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, input.userId), isNull(users.deletedAt)));
  if (!user) throw new AppError('not_found', 'This account no longer exists.');
  if (typeof input.password !== 'string' || !(await verifyPassword(input.password, user.passwordHash))) {
    throw new AppError('invalid_credentials', 'The password is wrong: type the password of this account to delete it.');
  }
  if (user.kind === 'auditor') throw new AppError('forbidden', 'Platform auditor accounts are removed by an operator (forgetme CLI), not from the console.');
  await assertNotLastAdmin(user.id);

  const { withdrawn, requestIds } = await db.transaction(async (tx) => {
    const requests = await tx
      .select({ id: removalRequests.id, status: removalRequests.status })
      .from(removalRequests)
      .where(eq(removalRequests.userId, user.id));
    let withdrawnCount = 0;
    for (const r of requests.filter((x) => (WITHDRAWABLE as readonly string[]).includes(x.status))) {
      if (await moveRequest(tx, r.id, 'withdrawn', { withdrawnAt: new Date() }, [...WITHDRAWABLE])) {
        withdrawnCount++;
        await recordAuditEvent(tx, {
          actor: { type: 'user', id: user.id },
          event: { action: 'request.withdrawn', subject: { type: 'removal_request', id: r.id }, data: {} },
        });
      }
    }
    const continuing = requests.filter((x) => !(WITHDRAWABLE as readonly string[]).includes(x.status) && !SETTLED.includes(x.status)).length;
    await tx.delete(memberships).where(eq(memberships.userId, user.id));
    await tx.delete(emailTokens).where(eq(emailTokens.userId, user.id));
    await tx.delete(faceGuard).where(eq(faceGuard.userId, user.id));
    await tx.delete(matchWatches).where(eq(matchWatches.userId, user.id));
    await revokeAllSessions(tx, user.id);
    await tx
      .update(users)
      .set({ email: `deleted-${user.id}@deleted.invalid`, name: 'Deleted account', passwordHash: '!', deletedAt: new Date() })
      .where(eq(users.id, user.id));
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: user.id },
      event: { action: 'user.deleted', subject: { type: 'user', id: user.id }, data: { withdrawn: withdrawnCount, continuing } },
    });
    return { withdrawn: { count: withdrawnCount, continuing }, requestIds: requests.map((r) => r.id) };
  });
  // After commit: a crash here leaves settled or in-flight requests with data, which the removal
  // sweep purges (withdrawn at once, the others when they settle).
  for (const id of requestIds) await purgeRequestData(id, 'account_deleted');
  await clearAccountFailures(user.email);
  return { withdrawn: withdrawn.count, continuing: withdrawn.continuing };
}

/** An organisation must keep an admin: its only admin cannot leave while it has other members. */
async function assertNotLastAdmin(userId: string): Promise<void> {
  const db = await getDb();
  const adminOf = await db
    .select({ organizationId: memberships.organizationId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, 'admin')));
  if (!adminOf.length) return;
  const others = await db
    .select({ organizationId: memberships.organizationId, n: count() })
    .from(memberships)
    .where(
      and(
        inArray(
          memberships.organizationId,
          adminOf.map((m) => m.organizationId),
        ),
        ne(memberships.userId, userId),
        eq(memberships.role, 'admin'),
      ),
    )
    .groupBy(memberships.organizationId);
  if (others.length < adminOf.length) {
    throw new AppError(
      'conflict',
      'You are the only administrator of your organisation: make another member administrator first, or ask the operator to close the organisation.',
    );
  }
}
