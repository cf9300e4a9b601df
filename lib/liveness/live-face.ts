import { and, desc, eq, gt, isNotNull } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { livenessChecks, type RemovalRequest } from '@/db/schema';
import { open } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { AppError } from '@/lib/errors/app-error';
import { l2 } from '@/lib/matcher/probes';

/**
 * A reference photo is of the live face when their raw descriptor distance is at most this: the
 * matcher's verification point, a false-match rate of 1e-3 and 94 % of genuine pairs accepted on
 * LFW's photo pairs (lib/matcher/calibration.json, pairs.raw.atFar1e3). bench/liveness.ts
 * measures it between live captures and photos.
 */
export const REFERENCE_MATCH = 0.5366;
/** A passed capture opens the search for this long. */
export const LIVE_VALID_MINUTES = 60;

/** The indexes of the references that are not of the live face. */
export function mismatchedReferences(references: readonly (readonly number[])[], live: readonly number[]): number[] {
  return references.flatMap((r, i) => (l2(r, live) > REFERENCE_MATCH ? [i] : []));
}

/**
 * The live face a search may use: the descriptor of the request's newest passed capture from the
 * last LIVE_VALID_MINUTES, or null when an operator approved the request's identity instead (no
 * camera). Anything else is refused with what to do.
 */
export async function requireLiveFace(tx: Executor, r: RemovalRequest): Promise<number[] | null> {
  if (r.identityReview === 'approved') return null;
  const live = await latestLiveDescriptor(tx, r.id, new Date(Date.now() - LIVE_VALID_MINUTES * 60_000));
  if (!live) throw new AppError('live_capture_required', 'Take the live capture first: you can only search for the face in front of the camera.');
  return live;
}

/** The request's newest passed capture since `since` that still holds its live face (sealed), or null. */
async function latestPassedCapture(tx: Executor, requestId: string, since: Date): Promise<{ id: string; sealed: string } | null> {
  const [check] = await tx
    .select({ id: livenessChecks.id, sealed: livenessChecks.liveDescriptorSealed })
    .from(livenessChecks)
    .where(
      and(
        eq(livenessChecks.requestId, requestId),
        eq(livenessChecks.status, 'passed'),
        gt(livenessChecks.createdAt, since),
        isNotNull(livenessChecks.liveDescriptorSealed),
      ),
    )
    .orderBy(desc(livenessChecks.createdAt))
    .limit(1);
  return check?.sealed ? { id: check.id, sealed: check.sealed } : null;
}

/** The live descriptor of the request's newest passed capture (since `since`), or null. */
export async function latestLiveDescriptor(tx: Executor, requestId: string, since = new Date(0)): Promise<number[] | null> {
  const check = await latestPassedCapture(tx, requestId, since);
  if (!check) return null;
  const bytes = open(Buffer.from(check.sealed, 'base64'), getDataKey(), `live-descriptor:${check.id}`);
  return Array.from(new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

/** What a request's page passes to identityState. */
export type DraftRequest = Pick<RemovalRequest, 'id' | 'identityReview'>;

export type IdentityState = 'needed' | 'passed' | 'review_pending' | 'review_approved' | 'review_refused';

/** Where the request stands on "only your own face", for its page. */
export async function identityState(r: DraftRequest): Promise<IdentityState> {
  if (r.identityReview === 'approved') return 'review_approved';
  // Whether a capture passed is enough here: its sealed face is not opened for a page view.
  if (await latestPassedCapture(await getDb(), r.id, new Date(Date.now() - LIVE_VALID_MINUTES * 60_000))) return 'passed';
  if (r.identityReview === 'pending') return 'review_pending';
  if (r.identityReview === 'refused') return 'review_refused';
  return 'needed';
}
