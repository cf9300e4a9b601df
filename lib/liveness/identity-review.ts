import { and, asc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { removalRequests, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { requireStorableText } from '@/lib/http/text-checks';
import { UUID } from '@/lib/http/path-params';
import { requireOwnRequest, requireStatus } from '@/lib/removals/get-request';

/**
 * The path for a person who cannot use a camera: they ask for an operator's review instead of
 * the live capture, saying why. Nothing is searched until an operator approves it
 * (`forgetme requests identity approve ID`), after checking who the person is by their own means
 * (a call, an identity document): the reference photos alone are never enough.
 */
export async function askIdentityReview(opts: { userId: string; requestId: string; reason: unknown }): Promise<void> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'ask for a review');
  if (typeof opts.reason !== 'string' || opts.reason.trim().length < 10 || opts.reason.length > 1000) {
    throw new AppError('validation_failed', 'reason: say in 10 to 1,000 characters why you cannot take the live capture.');
  }
  requireStorableText(opts.reason, 'reason');
  if (r.identityReview) throw new AppError('conflict', `A review was already asked for this request (${r.identityReview}).`);
  await db.transaction(async (tx) => {
    await tx
      .update(removalRequests)
      .set({ identityReview: 'pending', identityReviewReason: opts.reason as string })
      .where(eq(removalRequests.id, r.id));
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: { action: 'request.identity_review_asked', subject: { type: 'removal_request', id: r.id }, data: {} },
    });
  });
}

/** Pending reviews, oldest first, for the operator: the request, the person's address and reason. */
export async function listIdentityReviews() {
  const db = await getDb();
  return db
    .select({ requestId: removalRequests.id, email: users.email, reason: removalRequests.identityReviewReason, since: removalRequests.lastActivityAt })
    .from(removalRequests)
    .innerJoin(users, eq(users.id, removalRequests.userId))
    .where(and(eq(removalRequests.identityReview, 'pending'), eq(removalRequests.status, 'draft')))
    .orderBy(asc(removalRequests.lastActivityAt));
}

/** The operator's decision on a pending review, audited with who decided. */
export async function decideIdentityReview(requestId: string, decision: 'approved' | 'refused', by: string): Promise<void> {
  if (!UUID.test(requestId)) throw new AppError('not_found', 'No request with this id.');
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(removalRequests)
      .set({ identityReview: decision })
      .where(and(eq(removalRequests.id, requestId), eq(removalRequests.identityReview, 'pending')))
      .returning({ id: removalRequests.id });
    if (!done) throw new AppError('conflict', 'This request has no pending identity review.');
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      event: { action: 'request.identity_reviewed', subject: { type: 'removal_request', id: requestId }, data: { decision, by } },
    });
  });
}
