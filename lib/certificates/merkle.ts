import crypto from 'node:crypto';

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proofs, pure functions over leaf
 * hashes. leaf hash = SHA-256(0x00 ‖ leaf), node hash = SHA-256(0x01 ‖ left ‖ right); a tree of n
 * leaves splits at k, the largest power of two below n (never duplicating an odd node, which would
 * make two different trees share a root).
 */
const sha256 = (...parts: Uint8Array[]) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export function leafHash(leaf: Uint8Array): Buffer {
  return sha256(Buffer.from([0]), leaf);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The hash of a range [from, to) of the tree's leaves: over a list of leaves, or from stored nodes (merkle-nodes.ts). */
export type RangeHash = (from: number, to: number) => Buffer;

/** The root of the empty tree: SHA-256 of nothing. */
export function emptyRoot(): Buffer {
  return sha256();
}

/** MTH(D[n]) over leaf hashes; the empty tree's root is SHA-256 of nothing. */
export function rootHash(leaves: Buffer[], from = 0, to = leaves.length): Buffer {
  const n = to - from;
  if (n === 0) return emptyRoot();
  if (n === 1) return leaves[from];
  const k = split(n);
  return nodeHash(rootHash(leaves, from, from + k), rootHash(leaves, from + k, to));
}

/** PATH(m, D[n]): the audit path of leaf m in the tree of the first n leaves (RFC 9162 2.1.3.1). */
export function inclusionProof(leaves: Buffer[], m: number, n = leaves.length): Buffer[] {
  return inclusionPath(m, n, (a, b) => rootHash(leaves, a, b));
}

/** PATH(m, D[n]) with the subtree hashes from `mth`. */
export function inclusionPath(m: number, n: number, mth: RangeHash, from = 0): Buffer[] {
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  if (n === 1) return [];
  const k = split(n);
  return m < k ? [...inclusionPath(m, k, mth, from), mth(from + k, from + n)] : [...inclusionPath(m - k, n - k, mth, from + k), mth(from, from + k)];
}

/** Verifies an inclusion proof (RFC 9162 2.1.3.2): does `leaf` sit at `index` of the tree with `root` and `size`? */
export function verifyInclusion(leaf: Buffer, index: number, size: number, proof: Buffer[], root: Buffer): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else r = nodeHash(r, p);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

/** PROOF(m, D[n]): a consistency proof that the tree of the first m leaves is a prefix of the tree of n (RFC 9162 2.1.4.1). */
export function consistencyProof(leaves: Buffer[], m: number, n = leaves.length): Buffer[] {
  return consistencyPath(m, n, (a, b) => rootHash(leaves, a, b));
}

/** PROOF(m, D[n]) with the subtree hashes from `mth`. */
export function consistencyPath(m: number, n: number, mth: RangeHash): Buffer[] {
  if (m < 1 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  return subproof(mth, m, 0, n, true);
}

function subproof(mth: RangeHash, m: number, from: number, to: number, b: boolean): Buffer[] {
  const n = to - from;
  if (m === n) return b ? [] : [mth(from, to)];
  const k = split(n);
  return m <= k ? [...subproof(mth, m, from, from + k, b), mth(from + k, to)] : [...subproof(mth, m - k, from + k, to, false), mth(from, from + k)];
}

/** Verifies a consistency proof between two tree heads (RFC 9162 2.1.4.2). */
export function verifyConsistency(size1: number, size2: number, proof: Buffer[], root1: Buffer, root2: Buffer): boolean {
  if (size1 < 1 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  let path = proof;
  if (size1 > 0 && (size1 & (size1 - 1)) === 0) path = [root1, ...proof];
  if (!path.length) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else sr = nodeHash(sr, c);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}
