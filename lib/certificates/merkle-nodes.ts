import { consistencyPath, emptyRoot, inclusionPath, nodeHash, type RangeHash } from './merkle';

/**
 * The log's tree as stored complete subtrees: node (level, idx) is the hash of leaves
 * [idx · 2^level, (idx + 1) · 2^level). Every range the RFC 9162 algorithms ask for splits into
 * O(log n) such nodes, so a root, an inclusion proof or a consistency proof reads O(log n) of them
 * (at most a few dozen), and an append writes 1 + (trailing one-bits of its index) of them.
 *
 * Pure: the caller fetches nodes. Which nodes an algorithm reads depends on the sizes alone, never
 * on hash values, so `nodesRead` runs it once with placeholders to list them, the caller fetches
 * exactly those in one query, and the algorithm runs again on the real hashes.
 */
export type NodeKey = { level: number; idx: number };
export type NodeGetter = (level: number, idx: number) => Buffer;

export const nodeKey = (level: number, idx: number) => `${level}:${idx}`;

/** The hash of leaves [from, to) from stored complete subtrees (aligned powers of two) and the hashing between them. */
export function rangeHashFromNodes(get: NodeGetter): RangeHash {
  const mth = (from: number, to: number): Buffer => {
    const n = to - from;
    if (n === 0) return emptyRoot();
    if ((n & (n - 1)) === 0 && from % n === 0) return get(Math.log2(n), from / n);
    let k = 1;
    while (k * 2 < n) k *= 2;
    return nodeHash(mth(from, from + k), mth(from + k, to));
  };
  return mth;
}

/** The nodes `run` reads, listed by running it on placeholders. */
export function nodesRead<T>(run: (get: NodeGetter) => T): NodeKey[] {
  const keys = new Map<string, NodeKey>();
  const placeholder = Buffer.alloc(32);
  run((level, idx) => {
    keys.set(nodeKey(level, idx), { level, idx });
    return placeholder;
  });
  return [...keys.values()];
}

/** A getter over fetched nodes; asking for one that was not fetched is a bug, not a missing leaf. */
export function getterOf(nodes: Map<string, Buffer>): NodeGetter {
  return (level, idx) => {
    const h = nodes.get(nodeKey(level, idx));
    if (!h) throw new Error(`log node ${level}:${idx} was not fetched`);
    return h;
  };
}

/** MTH of the first `size` leaves. */
export function rootFromNodes(size: number, get: NodeGetter): Buffer {
  return rangeHashFromNodes(get)(0, size);
}

/** PATH(m, D[n]) from stored nodes. */
export function inclusionFromNodes(m: number, n: number, get: NodeGetter): Buffer[] {
  return inclusionPath(m, n, rangeHashFromNodes(get));
}

/** PROOF(m, D[n]) from stored nodes. */
export function consistencyFromNodes(m: number, n: number, get: NodeGetter): Buffer[] {
  return consistencyPath(m, n, rangeHashFromNodes(get));
}

/** The siblings an append at `index` combines with: one per trailing one-bit of the index. */
export function appendSiblings(index: number): NodeKey[] {
  const keys: NodeKey[] = [];
  for (let level = 0, idx = index; idx % 2 === 1; level++, idx = Math.floor(idx / 2)) keys.push({ level, idx: idx - 1 });
  return keys;
}

/** The nodes an append of `leaf` at `index` completes: the leaf itself, then each parent it closes. */
export function appendNodes(index: number, leaf: Buffer, get: NodeGetter): (NodeKey & { hash: Buffer })[] {
  const out = [{ level: 0, idx: index, hash: leaf }];
  let hash = leaf;
  for (let level = 0, idx = index; idx % 2 === 1; level++, idx = Math.floor(idx / 2)) {
    hash = nodeHash(get(level, idx - 1), hash);
    out.push({ level: level + 1, idx: Math.floor(idx / 2), hash });
  }
  return out;
}

/** Every complete subtree of a list of leaf hashes (a backfill, or a check of stored nodes). */
export function allNodes(leaves: Buffer[]): (NodeKey & { hash: Buffer })[] {
  const out: (NodeKey & { hash: Buffer })[] = leaves.map((hash, idx) => ({ level: 0, idx, hash }));
  let row = leaves;
  for (let level = 1; row.length > 1; level++) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < row.length; i += 2) next.push(nodeHash(row[i], row[i + 1]));
    next.forEach((hash, idx) => out.push({ level, idx, hash }));
    row = next;
  }
  return out;
}
