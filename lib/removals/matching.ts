import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { removalRequests, requestMatches, requestReferences } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { assertUnderLimit, hitRateLimit } from '@/lib/auth/rate-limit';
import { AppError } from '@/lib/errors/app-error';
import { networkOf } from '@/lib/http/client-address';
import { defineJob } from '@/lib/jobs/define-job';
import { failpoint } from '@/lib/jobs/failpoint';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import { DAILY_SEARCHES } from './consent';
import { requireOwnRequest, requireStatus } from './get-request';
import { failRequest } from './fail-request';
import { moveRequest } from './lifecycle';
import { latestLiveDescriptor, mismatchedReferences, requireLiveFace } from '@/lib/liveness/live-face';
import { finishInterruptedRemovals, referenceDescriptors } from './references';
import { searchForPerson } from './person-search';

/**
 * Searches a day: per account, per network (IPv4 /24, IPv6 /64: several accounts made by one
 * person), and in all (the matcher must not become a face-search service at any rate).
 */
export const SEARCH_LIMITS = { perAccount: DAILY_SEARCHES, perNetwork: 20, global: 2000 };

async function countSearch(userId: string, ip: string): Promise<void> {
  const day = 24 * 3600;
  const limits = [
    { key: `search:${userId}`, max: SEARCH_LIMITS.perAccount, message: `You can start ${DAILY_SEARCHES} searches a day; please try again tomorrow.` },
    {
      key: `search:network:${networkOf(ip)}`,
      max: SEARCH_LIMITS.perNetwork,
      message: 'Too many searches were started from your network today; please try again tomorrow.',
    },
    { key: 'search:global', max: SEARCH_LIMITS.global, message: 'forgetme has started as many searches as it allows in a day; please try again tomorrow.' },
  ];
  for (const l of limits) await assertUnderLimit({ key: l.key, max: l.max, windowSeconds: day }, l.message);
  for (const l of limits) await hitRateLimit({ key: l.key, max: l.max, windowSeconds: day });
}

/** Starts the search for the person's photos: at least one reference, within the daily limits. */
export async function startMatching(opts: { userId: string; requestId: string; ip: string }) {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'start a search');
  await finishInterruptedRemovals(r.id);
  const [{ n }] = await db.select({ n: count() }).from(requestReferences).where(eq(requestReferences.requestId, r.id));
  if (!n) throw new AppError('validation_failed', 'Add at least one photo of yourself first.');
  // Only the face in front of the camera: a passed live capture (or an operator's review), with
  // every reference photo of that face (a photo added after the capture is checked here).
  const live = await requireLiveFace(db, r);
  if (live) {
    const references = await referenceDescriptors(r.id);
    const off = mismatchedReferences(references, live);
    if (off.length) {
      const which = off.map((i) => i + 1).join(', ');
      throw new AppError('live_capture_required', `Photo ${which} does not show the face of your live capture. Remove it, or take the live capture again.`);
    }
  }
  await countSearch(opts.userId, opts.ip);
  await prepareJobs(matchJob);
  await db.transaction(async (tx) => {
    const moved = await moveRequest(tx, r.id, 'matching', {}, ['draft']);
    if (!moved) throw new AppError('conflict', 'This request has changed since you opened it; reload the page.');
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: { action: 'request.search_started', subject: { type: 'removal_request', id: r.id }, data: { references: n } },
    });
    await enqueue(matchJob, { requestId: r.id }, { tx });
  });
}

/** Finds the request's matches in every registered training set, in the calibrated tiers. Idempotent. */
export async function runMatching(requestId: string): Promise<void> {
  const db = await getDb();
  const [r] = await db.select().from(removalRequests).where(eq(removalRequests.id, requestId));
  if (!r || r.status !== 'matching') return;
  // The live face searches with the references (it is the freshest picture of the person).
  const live = await latestLiveDescriptor(db, requestId);
  const references = [...(await referenceDescriptors(requestId)), ...(live ? [live] : [])];
  // The thresholds follow the registry's size: the more faces and labels searched, the stricter.
  const { found, scope: searched } = await searchForPerson(db, references);
  const rows = found.flatMap((d) => [
    ...d.shown.map((m) => ({ requestId, faceId: m.faceId, itemId: m.itemId, datasetId: d.datasetId, distance: m.distance, tier: 'shown' as const })),
    ...d.possible.map((m) => ({ requestId, faceId: m.faceId, itemId: m.itemId, datasetId: d.datasetId, distance: m.distance, tier: 'possible' as const })),
  ]);
  failpoint('match.before-commit');
  await db.transaction(async (tx) => {
    if (rows.length) await tx.insert(requestMatches).values(rows).onConflictDoNothing();
    if (await moveRequest(tx, requestId, 'review', { searchScope: searched })) {
      const shown = rows.filter((x) => x.tier === 'shown').length;
      const possible = rows.filter((x) => x.tier === 'possible').length;
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        event: {
          action: 'request.matched',
          subject: { type: 'removal_request', id: requestId },
          data: {
            shown,
            possible,
            datasets: found.length,
            labelsTaken: found.reduce((n, d) => n + d.labels.length, 0),
            facesSearched: searched.faces,
            labelsSearched: searched.labels ?? 0,
            datasetsSearched: searched.datasets.length,
            referenceGroups: searched.references?.groups,
            thresholds: searched.thresholds,
          },
        },
      });
    }
  });
}

export const matchJob = defineJob({
  id: 'removals.match',
  version: 1,
  schema: z.object({ requestId: z.uuid() }),
  key: (p) => `removals.match:${p.requestId}`,
  policy: 'exclusive',
  retryLimit: 3,
  expireInSeconds: 30 * 60,
  // A dead worker's search is retried within a minute (measured by bench/fault-harness.ts), not after the expiry.
  heartbeatSeconds: 20,
  handler: async (p) => runMatching(p.requestId),
  onExhausted: async (p, error) => failRequest(p.requestId, { stage: 'matching', ...error }),
});
