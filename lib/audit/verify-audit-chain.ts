import { asc, gt } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { auditEventHash, GENESIS_HASH } from './record-audit-event';

export type ChainVerification =
  | {
      ok: true;
      checked: number;
      /** The hash and seq of the last event checked (the start's, when none was). */
      headHash: string;
      lastSeq: number;
      /** Whether the check reached the newest event; false when it stopped at `limit`. */
      complete: boolean;
    }
  | { ok: false; checked: number; brokenAt: { seq: number; reason: 'hash_mismatch' | 'link_mismatch' } };

/** Where a check starts: the genesis, or an event an earlier check verified (its seq and hash). */
export type ChainPoint = { seq: number; hash: string };

/**
 * Recomputes the chain in pages from `after` (the genesis by default); reports the first event
 * whose hash or link is wrong. With `limit`, stops after that many events (`complete: false`): a
 * page view checks what a full check has not covered yet, and never more than a bounded amount.
 */
export async function verifyAuditChain({
  pageSize = 1000,
  after = { seq: 0, hash: GENESIS_HASH },
  limit = Infinity,
}: { pageSize?: number; after?: ChainPoint; limit?: number } = {}): Promise<ChainVerification> {
  const db = await getDb();
  let prev = after.hash;
  let lastSeq = after.seq;
  let checked = 0;
  for (;;) {
    const size = Math.min(pageSize, limit - checked);
    if (size <= 0) {
      const [more] = await db.select({ seq: auditEvents.seq }).from(auditEvents).where(gt(auditEvents.seq, lastSeq)).limit(1);
      return { ok: true, checked, headHash: prev, lastSeq, complete: !more };
    }
    const page = await db.select().from(auditEvents).where(gt(auditEvents.seq, lastSeq)).orderBy(asc(auditEvents.seq)).limit(size);
    for (const row of page) {
      if (row.prevHash !== prev) return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'link_mismatch' } };
      if (auditEventHash(row) !== row.hash) return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'hash_mismatch' } };
      prev = row.hash;
      lastSeq = row.seq;
      checked++;
    }
    if (page.length < size) return { ok: true, checked, headHash: prev, lastSeq, complete: true };
  }
}
