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

/**
 * The perfect subtrees ("peaks") of the leaves read so far, largest first. Appending a leaf
 * merges equal peaks, and each merge completes one stored subtree; the root of the first n
 * leaves is the peaks of n folded right to left (RFC 9162's MTH splits at the largest power of
 * two below n, which is the first peak).
 */
export class Peaks {
  private readonly stack: { level: number; hash: Buffer }[] = [];

  /** Adds leaf `index`; returns every subtree it completes, the leaf itself first. */
  push(index: number, leaf: Buffer): (NodeKey & { hash: Buffer })[] {
    const done = [{ level: 0, idx: index, hash: leaf }];
    this.stack.push({ level: 0, hash: leaf });
    for (let top = this.stack.length - 1; top > 0 && this.stack[top - 1].level === this.stack[top].level; top--) {
      const right = this.stack.pop()!;
      const left = this.stack.pop()!;
      const level = left.level + 1;
      const hash = nodeHash(left.hash, right.hash);
      this.stack.push({ level, hash });
      done.push({ level, idx: (index + 1) / 2 ** level - 1, hash });
    }
    return done;
  }

  root(): Buffer | null {
    if (!this.stack.length) return null;
    let hash = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i].hash, hash);
    return hash;
  }
}

/** Every complete subtree of a list of leaf hashes (a backfill, or a check of stored nodes). */
export function allNodes(leaves: Buffer[]): (NodeKey & { hash: Buffer })[] {
  const peaks = new Peaks();
  return leaves.flatMap((leaf, i) => peaks.push(i, leaf));
}
