import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { logLeaves, logNodes, treeHeads } from '@/db/schema';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { AppError } from '@/lib/errors/app-error';
import {
  allNodes,
  appendNodes,
  appendSiblings,
  consistencyFromNodes,
  getterOf,
  inclusionFromNodes,
  nodeKey,
  nodesRead,
  rootFromNodes,
  type NodeGetter,
  type NodeKey,
} from './merkle-nodes';
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

async function allLeafHashes(tx: Executor): Promise<Buffer[]> {
  const rows = await tx.select({ h: logLeaves.leafHash }).from(logLeaves).orderBy(asc(logLeaves.leafIndex));
  return rows.map((r) => Buffer.from(r.h, 'hex'));
}

/** The number of leaves: the last index plus one (read from the primary key, not counted). */
async function logSize(tx: Executor): Promise<number> {
  const [last] = await tx.select({ i: logLeaves.leafIndex }).from(logLeaves).orderBy(desc(logLeaves.leafIndex)).limit(1);
  return last ? last.i + 1 : 0;
}

async function fetchNodes(tx: Executor, keys: NodeKey[]): Promise<Map<string, Buffer>> {
  if (!keys.length) return new Map();
  const wanted = sql.join(
    keys.map((k) => sql`(${k.level}, ${k.idx})`),
    sql`, `,
  );
  const rows = await tx
    .select()
    .from(logNodes)
    .where(sql`(${logNodes.level}, ${logNodes.idx}) in (${wanted})`);
  return new Map(rows.map((r) => [nodeKey(r.level, r.idx), Buffer.from(r.hash, 'hex')]));
}

/** Runs a tree algorithm on the stored nodes it reads: listed first, fetched in one query. */
async function withNodes<T>(tx: Executor, run: (get: NodeGetter) => T): Promise<T> {
  return run(getterOf(await fetchNodes(tx, nodesRead(run))));
}

async function insertNodes(tx: Executor, nodes: { level: number; idx: number; hash: Buffer }[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += 1000) {
    const rows = nodes.slice(i, i + 1000).map((x) => ({ level: x.level, idx: x.idx, hash: x.hash.toString('hex') }));
    await tx.insert(logNodes).values(rows).onConflictDoNothing();
  }
}

/**
 * Stores the complete subtrees of a log that has none yet (one written before log_nodes), from its
 * leaves, once; the caller holds the log's lock. Roots are unchanged: the same tree, stored by parts.
 */
async function backfillNodes(tx: Executor, size: number): Promise<void> {
  if (await nodesStored(tx, size)) return;
  await insertNodes(tx, allNodes(await allLeafHashes(tx)));
}

/** Whether the subtrees of a log of `size` leaves are stored: its last leaf's node is written with it, and a backfill writes all at once. */
async function nodesStored(tx: Executor, size: number): Promise<boolean> {
  if (size === 0) return true;
  const [last] = await tx
    .select({ h: logNodes.hash })
    .from(logNodes)
    .where(and(eq(logNodes.level, 0), eq(logNodes.idx, size - 1)));
  return Boolean(last);
}

/** The size of the log, its nodes stored (backfilled first when the log predates them). */
export async function readySize(): Promise<number> {
  const db = await getDb();
  const size = await logSize(db);
  if (!(await nodesStored(db, size))) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK})`);
      await backfillNodes(tx, await logSize(tx));
    });
  }
  return size;
}

/**
 * Appends a leaf inside the caller's transaction and signs the new tree head. Appends are
 * serialised by an advisory lock, so indices are dense and every head extends the previous one.
 * It reads O(log n) stored subtrees and writes 1 + (trailing one-bits of the index) new ones.
 */
export async function appendLeaf(tx: Executor, leafHash: Buffer, certificateId: string): Promise<{ leafIndex: number; head: TreeHead }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK})`);
  const n = await logSize(tx);
  await backfillNodes(tx, n);
  await tx.insert(logLeaves).values({ leafIndex: n, leafHash: leafHash.toString('hex'), certificateId });
  const siblings = await fetchNodes(tx, appendSiblings(n));
  await insertNodes(tx, appendNodes(n, leafHash, getterOf(siblings)));
  const root = await withNodes(tx, (get) => rootFromNodes(n + 1, get));
  const head = signTreeHead({ size: n + 1, rootHash: root.toString('hex'), timestamp: new Date().toISOString() }, await getSigningKey());
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

/** The audit path of a leaf to the head of `treeSize`, from the stored subtrees. */
export async function inclusionProofAt(leafIndex: number, treeSize: number): Promise<string[]> {
  const size = await readySize();
  if (treeSize > size || leafIndex >= treeSize) throw new AppError('not_found', `The log has no leaf ${leafIndex} in a tree of ${treeSize}.`);
  const proof = await withNodes(await getDb(), (get) => inclusionFromNodes(leafIndex, treeSize, get));
  return proof.map((b) => b.toString('hex'));
}

/** A consistency proof from the head of size m to the head of size n. */
export async function consistencyProofBetween(m: number, n: number): Promise<string[]> {
  if (m < 1 || m > n) throw new AppError('validation_failed', `A consistency proof goes from a smaller log to a larger one (got ${m} → ${n}).`);
  const size = await readySize();
  if (n > size) throw new AppError('not_found', `The log has no head of size ${n}.`);
  const proof = await withNodes(await getDb(), (get) => consistencyFromNodes(m, n, get));
  return proof.map((b) => b.toString('hex'));
}

/** The root of the first `size` leaves from the stored subtrees (hex): what proofs are served from. */
export async function storedRoot(size: number): Promise<string> {
  await readySize();
  return (await withNodes(await getDb(), (get) => rootFromNodes(size, get))).toString('hex');
}
