import { and, asc, between, count, eq, gt, lte, or, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { logLeaves, logNodes, treeHeads } from '@/db/schema';
import { nodeKey, Peaks } from './merkle-nodes';
import { readySize } from './transparency-log';

export type LogAudit = {
  ok: boolean;
  /** The log size the audit covered: every leaf, subtree and head up to it. */
  size: number;
  /** Signed heads checked. */
  heads: number;
  /** Sizes whose signed head does not match the stored entries (the first 100), or that lie beyond the log. */
  mismatches: number[];
  /** Stored subtrees that are missing or do not match the entries. */
  nodeMismatches: number;
  /** The first leaf index that is not stored although a later one is (a deleted entry), or null. */
  gapAt: number | null;
  /** The root of the covered size as recomputed from the leaves (hex), or null for an empty log or a gap. */
  root: string | null;
};

const MAX_LISTED = 100;

/** The stored subtrees that leaves [from, to) complete: at each level, those whose last leaf falls in the range. */
async function storedNodesCompletedIn(db: Executor, from: number, to: number): Promise<Map<string, string>> {
  const ranges = [];
  for (let level = 0; 2 ** level <= to; level++) {
    const first = Math.ceil((from + 1) / 2 ** level) - 1;
    const last = Math.floor(to / 2 ** level) - 1;
    if (first <= last) ranges.push(and(eq(logNodes.level, level), between(logNodes.idx, first, last)));
  }
  const rows = await db
    .select()
    .from(logNodes)
    .where(or(...ranges));
  return new Map(rows.map((r) => [nodeKey(r.level, r.idx), r.hash]));
}

/**
 * Recomputes the log from its leaves and checks every stored subtree and every signed head up to
 * the log's size when it starts: any edited, removed or added leaf, subtree or head shows. Reads
 * everything once, in batches of `batch` leaves, so its memory does not grow with the log (the
 * peaks are at most log2 n hashes); O(n) time, so it runs as a background job
 * (lib/integrity/integrity-job.ts), not on a page view. Appends while it runs are not its concern:
 * the next audit covers them.
 */
export async function auditLog({ batch = 4096 }: { batch?: number } = {}): Promise<LogAudit> {
  const db = await getDb();
  const size = await readySize();
  const peaks = new Peaks();
  const mismatches: number[] = [];
  let nodeMismatches = 0;
  let heads = 0;
  let mismatchCount = 0;
  for (let from = 0; from < size; from += batch) {
    const to = Math.min(size, from + batch);
    const [leaves, stored, signed] = await Promise.all([
      db
        .select({ i: logLeaves.leafIndex, h: logLeaves.leafHash })
        .from(logLeaves)
        .where(and(sql`${logLeaves.leafIndex} >= ${from}`, sql`${logLeaves.leafIndex} < ${to}`))
        .orderBy(asc(logLeaves.leafIndex)),
      storedNodesCompletedIn(db, from, to),
      db
        .select({ size: treeHeads.size, root: treeHeads.rootHash })
        .from(treeHeads)
        .where(and(gt(treeHeads.size, from), lte(treeHeads.size, to)))
        .orderBy(asc(treeHeads.size)),
    ]);
    // A deleted leaf leaves the rest of the log unverifiable (every later root differs): the audit stops there.
    const gap = leaves.findIndex((l, j) => l.i !== from + j);
    if (gap >= 0 || leaves.length !== to - from) {
      const gapAt = from + (gap >= 0 ? gap : leaves.length);
      return { ok: false, size, heads, mismatches, nodeMismatches, gapAt, root: null };
    }
    let next = 0;
    for (const [j, leaf] of leaves.entries()) {
      for (const node of peaks.push(from + j, Buffer.from(leaf.h, 'hex'))) {
        if (stored.get(nodeKey(node.level, node.idx)) !== node.hash.toString('hex')) nodeMismatches++;
      }
      for (; next < signed.length && signed[next].size === from + j + 1; next++) {
        heads++;
        if (signed[next].root === peaks.root()!.toString('hex')) continue;
        mismatchCount++;
        if (mismatches.length < MAX_LISTED) mismatches.push(signed[next].size);
      }
    }
  }
  // Heads beyond the log (a head signed for leaves that are not there), read against the log's size in the same statement.
  const beyondLog = sql`${treeHeads.size} > (select coalesce(max(${logLeaves.leafIndex}) + 1, 0) from ${logLeaves})`;
  const beyond = await db.select({ size: treeHeads.size }).from(treeHeads).where(beyondLog).orderBy(asc(treeHeads.size)).limit(MAX_LISTED);
  if (beyond.length) {
    const [{ n }] = await db.select({ n: count() }).from(treeHeads).where(beyondLog);
    mismatchCount += n;
    mismatches.push(...beyond.slice(0, MAX_LISTED - mismatches.length).map((r) => r.size));
  }
  const root = peaks.root()?.toString('hex') ?? null;
  return { ok: mismatchCount === 0 && nodeMismatches === 0, size, heads, mismatches, nodeMismatches, gapAt: null, root };
}
