import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { getDb, type Transaction } from '@/db/client';
import { livenessChecks, type LivenessCheck } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { hitRateLimit } from '@/lib/auth/rate-limit';
import { seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { AppError } from '@/lib/errors/app-error';
import { UUID } from '@/lib/http/path-params';
import { requireOwnRequest, requireStatus } from '@/lib/removals/get-request';
import { referenceDescriptors } from '@/lib/removals/references';
import { CAPTURE_DEADLINE_MS, CAPTURE_FPS, CAPTURE_MS, newChallenge, type ChallengeStep } from './challenge';
import { guardFace, otherAccountsWithFace } from './face-guard';
import { judgeCapture, type RefusalCode } from './judge-capture';
import { mismatchedReferences } from './live-face';
import { observeFrames, type CapturedFrame } from './observe-frames';

export type Challenge = { id: string; steps: ChallengeStep[]; captureMs: number; fps: number; expiresAt: string };
export type CaptureCode = RefusalCode | 'replayed' | 'reference_mismatch' | 'face_reused';
export type Refusal = { ok: false; code: CaptureCode; message: string };
export type CaptureOutcome = { ok: true } | Refusal;
type Passed = { ok: true; liveDescriptor: number[]; frames: number };

/** Challenges per request per hour: enough to retry, not enough to probe the judge. */
export const CHALLENGES_PER_HOUR = 10;

const asChallenge = (c: LivenessCheck): Challenge => ({
  id: c.id,
  steps: c.steps,
  captureMs: CAPTURE_MS,
  fps: CAPTURE_FPS,
  expiresAt: c.expiresAt.toISOString(),
});
export const liveDescriptorContext = (checkId: string) => `live-descriptor:${checkId}`;

/**
 * The challenge for a live capture of a draft request: the open one if the person already has
 * one (a reload does not draw a new order), else a new random one that must be answered within
 * CAPTURE_DEADLINE_MS.
 */
export async function issueChallenge(opts: { userId: string; requestId: string }): Promise<Challenge> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'take a live capture');
  const [open] = await db
    .select()
    .from(livenessChecks)
    .where(
      and(
        eq(livenessChecks.requestId, r.id),
        eq(livenessChecks.status, 'issued'),
        isNull(livenessChecks.submittedAt),
        gt(livenessChecks.expiresAt, new Date()),
      ),
    );
  if (open) return asChallenge(open);
  if ((await hitRateLimit({ key: `liveness:${r.id}`, max: CHALLENGES_PER_HOUR, windowSeconds: 3600 })) > CHALLENGES_PER_HOUR) {
    throw new AppError('rate_limited', `You can start ${CHALLENGES_PER_HOUR} live captures an hour for a request. Wait a little and try again.`, {
      retryAfterSeconds: 3600,
    });
  }
  const [row] = await db
    .insert(livenessChecks)
    .values({ requestId: r.id, userId: opts.userId, steps: newChallenge(), expiresAt: new Date(Date.now() + CAPTURE_DEADLINE_MS) })
    .returning();
  return asChallenge(row);
}

/**
 * Judges a live capture (judge-capture.ts) and records the verdict. Refused as well: frames sent
 * before (for any challenge), a face that another account searched with in the last 30 days, and
 * reference photos that are not of the live face; the last two are flagged to platform auditors.
 * A check is answered once; the frames are never stored, only their hashes.
 */
export async function submitCapture(opts: { userId: string; requestId: string; checkId: string; frames: CapturedFrame[] }): Promise<CaptureOutcome> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'take a live capture');
  const notFound = new AppError('not_found', 'This live capture does not exist for this request; start a new one.');
  if (!UUID.test(opts.checkId)) throw notFound;
  const [claimed] = await db
    .update(livenessChecks)
    .set({ submittedAt: new Date() })
    .where(
      and(eq(livenessChecks.id, opts.checkId), eq(livenessChecks.requestId, r.id), eq(livenessChecks.status, 'issued'), isNull(livenessChecks.submittedAt)),
    )
    .returning();
  if (!claimed) throw new AppError('conflict', 'This live capture was already sent, or does not exist; start a new one.');
  if (claimed.expiresAt.getTime() < Date.now())
    return conclude(claimed, opts.userId, [], { ok: false, code: 'bad_timing', message: 'The capture arrived after its deadline. Start a new one.' });

  const observed = await observeFrames(opts.frames);
  const hashes = [...new Set(observed.map((f) => f.hash))];
  const [replayed] = await db
    .select({ id: livenessChecks.id })
    .from(livenessChecks)
    .where(and(ne(livenessChecks.id, claimed.id), sql`${livenessChecks.frameHashes} && ${sql.param(hashes)}::text[]`))
    .limit(1);
  if (replayed)
    return conclude(claimed, opts.userId, hashes, {
      ok: false,
      code: 'replayed',
      message: 'These pictures were already sent for an earlier capture. A live capture is taken live, each time.',
    });
  const verdict = judgeCapture(claimed.steps, observed);
  if (!verdict.ok) return conclude(claimed, opts.userId, hashes, verdict);

  const references = await referenceDescriptors(r.id);
  const mismatched = mismatchedReferences(references, verdict.liveDescriptor);
  const one = mismatched.length === 1;
  if (mismatched.length) {
    return conclude(
      claimed,
      opts.userId,
      hashes,
      {
        ok: false,
        code: 'reference_mismatch',
        message:
          `${mismatched.length} of your ${references.length} photos ${one ? 'does' : 'do'} not show the face in front of the camera ` +
          `(photo ${mismatched.map((i) => i + 1).join(', ')}). ` +
          `You can only search for your own face: remove ${one ? 'it' : 'them'}, or use photos of yourself.`,
      },
      { mismatched: mismatched.length, references: references.length },
    );
  }
  return conclude(claimed, opts.userId, hashes, verdict);
}

async function conclude(
  check: LivenessCheck,
  userId: string,
  hashes: string[],
  outcome: Passed | Refusal,
  mismatch?: { mismatched: number; references: number },
): Promise<CaptureOutcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const subject = { type: 'removal_request', id: check.requestId } as const;
    const actor = { type: 'user', id: userId } as const;
    if (!outcome.ok) {
      if (mismatch) await recordAuditEvent(tx, { actor, event: { action: 'abuse.references_mismatch', subject, data: { userId, ...mismatch } } });
      return refuseCheck(tx, check, userId, hashes, outcome);
    }
    const others = await otherAccountsWithFace(tx, userId, outcome.liveDescriptor);
    if (others.length) {
      await recordAuditEvent(tx, { actor, event: { action: 'abuse.face_reused', subject, data: { userId, otherAccounts: others } } });
      const message = 'This face was already searched for from another account. A person searches from one account only; if this is you, use that account.';
      return refuseCheck(tx, check, userId, hashes, { ok: false, code: 'face_reused', message });
    }
    const sealed = seal(Buffer.from(new Float64Array(outcome.liveDescriptor).buffer), getDataKey(), liveDescriptorContext(check.id)).toString('base64');
    await tx.update(livenessChecks).set({ status: 'passed', liveDescriptorSealed: sealed, frameHashes: hashes }).where(eq(livenessChecks.id, check.id));
    await guardFace(tx, userId, outcome.liveDescriptor);
    await recordAuditEvent(tx, { actor, event: { action: 'request.live_capture_passed', subject, data: { checkId: check.id, frames: outcome.frames } } });
    return { ok: true };
  });
}

async function refuseCheck(tx: Transaction, check: LivenessCheck, userId: string, hashes: string[], refusal: Refusal): Promise<Refusal> {
  await tx.update(livenessChecks).set({ status: 'refused', refusal: refusal.code, frameHashes: hashes }).where(eq(livenessChecks.id, check.id));
  const event = {
    action: 'request.live_capture_refused',
    subject: { type: 'removal_request', id: check.requestId },
    data: { checkId: check.id, code: refusal.code },
  } as const;
  await recordAuditEvent(tx, { actor: { type: 'user', id: userId }, event });
  return refusal;
}

/** The newest capture of a request, for its page: whether the person still needs to take one. */
export async function latestCapture(requestId: string): Promise<Pick<LivenessCheck, 'id' | 'status' | 'refusal' | 'createdAt'> | null> {
  const db = await getDb();
  const [c] = await db
    .select({ id: livenessChecks.id, status: livenessChecks.status, refusal: livenessChecks.refusal, createdAt: livenessChecks.createdAt })
    .from(livenessChecks)
    .where(and(eq(livenessChecks.requestId, requestId), ne(livenessChecks.status, 'issued')))
    .orderBy(desc(livenessChecks.createdAt))
    .limit(1);
  return c ?? null;
}
