import { asc, desc, eq, lte, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { logLeaves, treeHeads } from '@/db/schema';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { AppError } from '@/lib/errors/app-error';
import { consistencyProof, inclusionProof, rootHash } from './merkle';
import { signTreeHead, type TreeHead } from './tree-head';

/** Serialises appends across processes (PostgreSQL) and connections. */
const LOG_LOCK = 7243_0006;

const toHead = (r: typeof treeHeads.$inferSelect): TreeHead => ({
  size: r.size,
  rootHash: r.rootHash,
  timestamp: r.timestamp.toISOString(),
  keyid: r.keyid,
  signature: r.signature,
});

async function leafHashes(tx: Executor, size?: number): Promise<Buffer[]> {
  const rows = await tx
    .select({ h: logLeaves.leafHash })
    .from(logLeaves)
    .where(size === undefined ? undefined : lte(logLeaves.leafIndex, size - 1))
    .orderBy(asc(logLeaves.leafIndex));
  return rows.map((r) => Buffer.from(r.h, 'hex'));
}

/**
 * Appends a leaf inside the caller's transaction and signs the new tree head. Appends are
 * serialised by an advisory lock, so indices are dense and every head extends the previous one.
 */
export async function appendLeaf(tx: Executor, leafHash: Buffer, certificateId: string): Promise<{ leafIndex: number; head: TreeHead }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK})`);
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(logLeaves);
  await tx.insert(logLeaves).values({ leafIndex: n, leafHash: leafHash.toString('hex'), certificateId });
  const leaves = await leafHashes(tx);
  const head = signTreeHead({ size: leaves.length, rootHash: rootHash(leaves).toString('hex'), timestamp: new Date().toISOString() }, await getSigningKey());
  await tx
    .insert(treeHeads)
    .values({ size: head.size, rootHash: head.rootHash, timestamp: new Date(head.timestamp), keyid: head.keyid, signature: head.signature });
  return { leafIndex: n, head };
}

export async function latestTreeHead(): Promise<TreeHead | null> {
  const db = await getDb();
  const [row] = await db.select().from(treeHeads).orderBy(desc(treeHeads.size)).limit(1);
  return row ? toHead(row) : null;
}

export async function treeHeadAt(size: number): Promise<TreeHead> {
  const db = await getDb();
  const [row] = await db.select().from(treeHeads).where(eq(treeHeads.size, size));
  if (!row) throw new AppError('not_found', `The log has no signed head of size ${size}.`);
  return toHead(row);
}

export async function listTreeHeads(limit = 100, beforeSize?: number): Promise<TreeHead[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(treeHeads)
    .where(beforeSize === undefined ? undefined : sql`${treeHeads.size} < ${beforeSize}`)
    .orderBy(desc(treeHeads.size))
    .limit(limit);
  return rows.map(toHead);
}

/** The audit path of a leaf to the head of `treeSize`, recomputed from the stored leaves. */
export async function inclusionProofAt(leafIndex: number, treeSize: number): Promise<string[]> {
  const db = await getDb();
  const leaves = await leafHashes(db, treeSize);
  if (leaves.length < treeSize || leafIndex >= treeSize) throw new AppError('not_found', `The log has no leaf ${leafIndex} in a tree of ${treeSize}.`);
  return inclusionProof(leaves, leafIndex, treeSize).map((b) => b.toString('hex'));
}

/** A consistency proof from the head of size m to the head of size n. */
export async function consistencyProofBetween(m: number, n: number): Promise<string[]> {
  if (m < 1 || m > n) throw new AppError('validation_failed', `A consistency proof goes from a smaller log to a larger one (got ${m} → ${n}).`);
  const db = await getDb();
  const leaves = await leafHashes(db, n);
  if (leaves.length < n) throw new AppError('not_found', `The log has no head of size ${n}.`);
  return consistencyProof(leaves, m, n).map((b) => b.toString('hex'));
}

/** Recomputes every stored head's root from the leaves: any edited or removed leaf shows as a mismatch. */
export async function auditLog(): Promise<{ ok: boolean; heads: number; mismatches: number[] }> {
  const db = await getDb();
  const leaves = await leafHashes(db);
  const heads = await db.select().from(treeHeads).orderBy(asc(treeHeads.size));
  const mismatches = heads.filter((h) => h.size > leaves.length || rootHash(leaves.slice(0, h.size)).toString('hex') !== h.rootHash).map((h) => h.size);
  return { ok: mismatches.length === 0, heads: heads.length, mismatches };
}
