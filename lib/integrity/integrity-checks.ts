import { and, desc, eq, lt } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { integrityChecks, type IntegrityFindings } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';
import { auditLog } from '@/lib/certificates/log-audit';

export type IntegrityKind = IntegrityFindings['kind'];
export type IntegrityCheck = typeof integrityChecks.$inferSelect;

/** Checks older than this are deleted when a newer one of the same kind is recorded. */
const KEEP_DAYS = 90;

async function record(startedAt: Date, findings: IntegrityFindings, covered: number, headHash: string | null, ok: boolean): Promise<IntegrityCheck> {
  const db = await getDb();
  const [row] = await db
    .insert(integrityChecks)
    .values({ kind: findings.kind, startedAt, finishedAt: new Date(), covered, headHash, ok, findings })
    .returning();
  await db
    .delete(integrityChecks)
    .where(and(eq(integrityChecks.kind, findings.kind), lt(integrityChecks.finishedAt, new Date(Date.now() - KEEP_DAYS * 86_400_000))));
  return row;
}

/** Recomputes the whole audit chain and records what it found. */
export async function checkAuditChain(): Promise<IntegrityCheck> {
  const startedAt = new Date();
  const chain = await verifyAuditChain();
  return chain.ok
    ? record(startedAt, { kind: 'audit_chain', chain }, chain.lastSeq, chain.headHash, true)
    : record(startedAt, { kind: 'audit_chain', chain }, chain.brokenAt.seq - 1, null, false);
}

/** Recomputes the whole transparency log (leaves, subtrees, signed heads) and records what it found. */
export async function checkTransparencyLog(): Promise<IntegrityCheck> {
  const startedAt = new Date();
  const log = await auditLog();
  return record(startedAt, { kind: 'transparency_log', log }, log.size, log.root, log.ok);
}

/** The most recent full check of a kind, or null when none has run yet. */
export async function latestCheck(kind: IntegrityKind): Promise<IntegrityCheck | null> {
  const db = await getDb();
  const [row] = await db.select().from(integrityChecks).where(eq(integrityChecks.kind, kind)).orderBy(desc(integrityChecks.finishedAt)).limit(1);
  return row ?? null;
}
