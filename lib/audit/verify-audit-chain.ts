import { asc, gt } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { auditEventHash, GENESIS_HASH } from './record-audit-event';

export type ChainVerification =
  { ok: true; checked: number; headHash: string } | { ok: false; checked: number; brokenAt: { seq: number; reason: 'hash_mismatch' | 'link_mismatch' } };

/** Recomputes the whole chain in pages; reports the first event whose hash or link is wrong. */
export async function verifyAuditChain({ pageSize = 1000 }: { pageSize?: number } = {}): Promise<ChainVerification> {
  const db = await getDb();
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  for (;;) {
    const page = await db.select().from(auditEvents).where(gt(auditEvents.seq, lastSeq)).orderBy(asc(auditEvents.seq)).limit(pageSize);
    for (const row of page) {
      if (row.prevHash !== prev) return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'link_mismatch' } };
      if (auditEventHash(row) !== row.hash) return { ok: false, checked, brokenAt: { seq: row.seq, reason: 'hash_mismatch' } };
      prev = row.hash;
      lastSeq = row.seq;
      checked++;
    }
    if (page.length < pageSize) return { ok: true, checked, headHash: prev };
  }
}
