import { count, gt } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { verifyAuditChain, type ChainVerification } from '@/lib/audit/verify-audit-chain';
import { latestCheck } from './integrity-checks';

/** The most events a page view checks itself; past it, the rest waits for the hourly full check. */
export const LIVE_CHAIN_LIMIT = 5_000;

export type ChainStatus = {
  /** When the last full check of the whole chain finished, or null when none has run. */
  fullAt: Date | null;
} & (
  | {
      ok: true;
      /** Events known to be chained: those the full check covered plus those checked now. */
      events: number;
      /** Of them, checked by this view (newer than the full check). */
      checkedNow: number;
      /** Newer events past this view's limit, not yet checked by anyone. */
      unchecked: number;
    }
  | {
      ok: false;
      brokenAt: Extract<ChainVerification, { ok: false }>['brokenAt'];
      /** Who found it: the last full check, or this view (among the events newer than that check). */
      foundBy: 'full_check' | 'view';
    }
);

/**
 * The audit chain's state for a page: the latest full check (every event, recomputed by the
 * integrity job) and, from where it ended, the events added since, checked now up to
 * LIVE_CHAIN_LIMIT. A page view's cost is bounded whatever the chain's length; an event altered
 * after the last full check shows at the next one.
 */
export async function auditChainStatus({ limit = LIVE_CHAIN_LIMIT }: { limit?: number } = {}): Promise<ChainStatus> {
  const full = await latestCheck('audit_chain');
  const fullAt = full?.finishedAt ?? null;
  const fullChain = full?.findings.kind === 'audit_chain' ? full.findings.chain : null;
  if (fullChain && !fullChain.ok) return { ok: false, fullAt, brokenAt: fullChain.brokenAt, foundBy: 'full_check' };
  const after = fullChain?.ok ? { seq: fullChain.lastSeq, hash: fullChain.headHash } : undefined;
  const live = await verifyAuditChain({ after, limit });
  if (!live.ok) return { ok: false, fullAt, brokenAt: live.brokenAt, foundBy: 'view' };
  let unchecked = 0;
  if (!live.complete) {
    const db = await getDb();
    [{ n: unchecked }] = await db.select({ n: count() }).from(auditEvents).where(gt(auditEvents.seq, live.lastSeq));
  }
  return { ok: true, fullAt, events: (fullChain?.ok ? fullChain.checked : 0) + live.checked, checkedNow: live.checked, unchecked };
}
