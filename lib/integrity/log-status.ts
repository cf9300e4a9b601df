import crypto from 'node:crypto';
import { getDb } from '@/db/client';
import { signingKeys } from '@/db/schema';
import { auditLog, type LogAudit } from '@/lib/certificates/log-audit';
import { verifyConsistency } from '@/lib/certificates/merkle';
import { consistencyProofBetween, latestTreeHead, storedRoot } from '@/lib/certificates/transparency-log';
import { verifyTreeHeadSignature, type TreeHead } from '@/lib/certificates/tree-head';
import { latestCheck } from './integrity-checks';

/**
 * Up to this size a page view audits the whole log itself (one batch of leaves); past it, it shows
 * the integrity job's. Measured on the page (bench/compliance-pages.ts, PostgreSQL, p50): 140 ms
 * at 4,000 entries audited on the view, 50 ms at 1,000, 26 ms at 1,100 showing the job's result.
 */
export const LIVE_AUDIT_MAX = 1024;

export type LogStatus = {
  latest: TreeHead | null;
  /** The latest head's signature verifies with the platform key it names. */
  latestSigned: boolean;
  /** The latest full audit: run by this view on a small log, else the integrity job's last (null: none yet). */
  full: { at: Date; audit: LogAudit; live: boolean } | null;
  /**
   * Checked on this view in O(log n): the latest signed root equals the root of the stored
   * subtrees, and the latest head extends the root the full audit recomputed from the leaves
   * (a consistency proof). null when there is nothing to compare.
   */
  extendsAudited: boolean | null;
  matchesStored: boolean | null;
};

/** Signing keys by kid, as JWKs (retired keys included: old heads were signed with them). */
export async function headKeys(): Promise<Map<string, crypto.JsonWebKey>> {
  const db = await getDb();
  const rows = await db.select({ kid: signingKeys.kid, jwk: signingKeys.publicJwk }).from(signingKeys);
  return new Map(rows.map((r) => [r.kid, r.jwk]));
}

export function headSigned(head: TreeHead, keys: Map<string, crypto.JsonWebKey>): boolean {
  const key = keys.get(head.keyid);
  return !!key && verifyTreeHeadSignature(head, key);
}

async function extendsRoot(audit: LogAudit, latest: TreeHead): Promise<boolean | null> {
  if (!audit.ok || !audit.root || audit.size === 0 || audit.size > latest.size) return null;
  if (audit.size === latest.size) return audit.root === latest.rootHash;
  const proof = (await consistencyProofBetween(audit.size, latest.size)).map((h) => Buffer.from(h, 'hex'));
  return verifyConsistency(audit.size, latest.size, proof, Buffer.from(audit.root, 'hex'), Buffer.from(latest.rootHash, 'hex'));
}

/** The transparency log's state for a page, at a cost bounded whatever the log's size. */
export async function logStatus({ liveAuditMax = LIVE_AUDIT_MAX }: { liveAuditMax?: number } = {}): Promise<LogStatus> {
  const [latest, keys] = await Promise.all([latestTreeHead(), headKeys()]);
  if (!latest) return { latest, latestSigned: false, full: null, extendsAudited: null, matchesStored: null };
  let full: LogStatus['full'] = null;
  if (latest.size <= liveAuditMax) full = { at: new Date(), audit: await auditLog({ batch: liveAuditMax }), live: true };
  else {
    const check = await latestCheck('transparency_log');
    if (check?.findings.kind === 'transparency_log') full = { at: check.finishedAt, audit: check.findings.log, live: false };
  }
  const [extendsAudited, stored] = await Promise.all([full ? extendsRoot(full.audit, latest) : null, storedRoot(latest.size)]);
  return { latest, latestSigned: headSigned(latest, keys), full, extendsAudited, matchesStored: stored === latest.rootHash };
}
