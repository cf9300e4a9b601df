import { and, count, eq, gt, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { matchWatches, requestMatches, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/config/env';
import { open, seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { AppError } from '@/lib/errors/app-error';
import { defineJob } from '@/lib/jobs/define-job';
import { latestLiveDescriptor } from '@/lib/liveness/live-face';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { newSetMatchMail } from '@/lib/mail/templates';
import { requireOwnRequest, requireStatus } from './get-request';
import { registryScope, searchForPerson } from './person-search';
import { referenceDescriptors } from './references';

/** How long a "tell me later" consent lasts. */
export const WATCH_DAYS = 180;

/** What the person agrees to, shown beside the choice (the version is recorded in the audit event). */
export const WATCH_CONSENT_VERSION = '2026-11-30';
export const WATCH_CONSENT =
  `Tell me by e-mail if a training set registered in the next ${WATCH_DAYS} days may hold photos of me. To do that, forgetme keeps the ` +
  'descriptors of my face from this request (lists of numbers computed from my photos and live capture, not the photos), encrypted ' +
  `with forgetme's data key, and searches each new training set with them. They are deleted after ${WATCH_DAYS} days, as soon as one ` +
  'e-mail has been sent, when I stop this, or when I delete my account. The e-mail says only that photos may have been found; ' +
  'to have them removed I start a new request, with a new live capture.';

const context = (id: string) => `match-watch:${id}`;

/** The person's watch for this request, if any: when it ends. */
export async function watchOf(userId: string, requestId: string): Promise<{ expiresAt: Date } | null> {
  const db = await getDb();
  const [w] = await db
    .select({ expiresAt: matchWatches.expiresAt })
    .from(matchWatches)
    .where(and(eq(matchWatches.userId, userId), eq(matchWatches.requestId, requestId)));
  return w ?? null;
}

/**
 * After a search that found nothing, keeps the person's descriptors (sealed) to search training sets
 * registered later, with their consent. Only while the request is under review with no match and
 * still holds its descriptors (before the retention purge).
 */
export async function startWatch(opts: { userId: string; requestId: string; consented: boolean }): Promise<{ expiresAt: Date }> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  if (!opts.consented) throw new AppError('validation_failed', 'Tick the box to agree first. If you leave it, nothing is kept.');
  requireStatus(r, ['review'], 'ask to be told about new training sets');
  const [{ n }] = await db.select({ n: count() }).from(requestMatches).where(eq(requestMatches.requestId, r.id));
  if (n) throw new AppError('conflict', 'This search found photos of you: review them instead.');
  const live = await latestLiveDescriptor(db, r.id);
  const descriptors = [...(await referenceDescriptors(r.id)), ...(live ? [live] : [])];
  if (!descriptors.length) throw new AppError('conflict', 'This request no longer holds your face data: start a new request to search again.');
  const id = crypto.randomUUID();
  const sealed = seal(Buffer.from(JSON.stringify(descriptors)), getDataKey(), context(id)).toString('base64');
  const expiresAt = new Date(Date.now() + WATCH_DAYS * 86400_000);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(matchWatches)
      .values({ id, userId: opts.userId, requestId: r.id, descriptorsSealed: sealed, expiresAt })
      .onConflictDoNothing()
      .returning({ expiresAt: matchWatches.expiresAt });
    if (!row) throw new AppError('conflict', 'You already asked to be told about new training sets for this request.');
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: {
        action: 'request.watch_started',
        subject: { type: 'removal_request', id: r.id },
        data: { days: WATCH_DAYS, consentVersion: WATCH_CONSENT_VERSION },
      },
    });
    return row;
  });
}

/** Ends the person's watch for this request and deletes its descriptors. */
export async function stopWatch(opts: { userId: string; requestId: string }): Promise<void> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(matchWatches)
      .where(and(eq(matchWatches.userId, opts.userId), eq(matchWatches.requestId, r.id)))
      .returning({ id: matchWatches.id });
    if (!gone.length) throw new AppError('conflict', 'You have not asked to be told about new training sets for this request (or it has already ended).');
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: { action: 'request.watch_ended', subject: { type: 'removal_request', id: opts.requestId }, data: { reason: 'stopped' } },
    });
  });
}

/**
 * Searches one newly registered training set for every watching person. A person with a match is
 * told once, by an e-mail that names nothing, and their watch (with its descriptors) is deleted in
 * the same transaction as the e-mail is queued.
 */
export async function runWatches(datasetId: string, now = new Date()): Promise<{ searched: number; told: number }> {
  const db = await getDb();
  const watches = await db.select().from(matchWatches).where(gt(matchWatches.expiresAt, now));
  let told = 0;
  const scope = watches.length ? await registryScope(db) : undefined;
  for (const w of watches) {
    const bytes = open(Buffer.from(w.descriptorsSealed, 'base64'), getDataKey(), context(w.id));
    const descriptors = z.array(z.array(z.number())).parse(JSON.parse(bytes.toString('utf8')));
    const { found } = await searchForPerson(db, descriptors, { datasetIds: [datasetId], scope });
    const hit = found.some((d) => d.shown.length + d.possible.length > 0);
    const emailId = await db.transaction(async (tx) => {
      if (!hit) {
        await tx.update(matchWatches).set({ lastSearchedAt: now }).where(eq(matchWatches.id, w.id));
        return null;
      }
      const gone = await tx.delete(matchWatches).where(eq(matchWatches.id, w.id)).returning({ id: matchWatches.id });
      if (!gone.length) return null;
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        event: { action: 'request.watch_ended', subject: { type: 'removal_request', id: w.requestId }, data: { reason: 'found' } },
      });
      const [u] = await tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.id, w.userId), isNull(users.deletedAt)));
      return u ? queueEmail(tx, u.email, newSetMatchMail({ link: `${env().publicUrl}/me` })) : null;
    });
    if (emailId) {
      told++;
      await requestDelivery(emailId);
    }
  }
  return { searched: watches.length, told };
}

/** Deletes watches past their end; run by the removal sweep. */
export async function expireWatches(now = new Date()): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const gone = await tx.delete(matchWatches).where(lt(matchWatches.expiresAt, now)).returning({ requestId: matchWatches.requestId });
    for (const g of gone) {
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        event: { action: 'request.watch_ended', subject: { type: 'removal_request', id: g.requestId }, data: { reason: 'expired' } },
      });
    }
    return gone.length;
  });
}

/** Searches a training set whose ingest completed for the people watching (queued with the completion). */
export const watchJob = defineJob({
  id: 'removals.watch',
  version: 1,
  schema: z.object({ datasetId: z.uuid() }),
  key: (p) => `removals.watch:${p.datasetId}`,
  policy: 'exclusive',
  retryLimit: 3,
  expireInSeconds: 30 * 60,
  handler: async (p) => {
    await runWatches(p.datasetId);
  },
});
