import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { consistencyProof, inclusionProof, leafHash, rootHash, verifyConsistency, verifyInclusion } from './merkle';
import {
  allNodes,
  appendNodes,
  appendSiblings,
  consistencyFromNodes,
  getterOf,
  inclusionFromNodes,
  nodeKey,
  nodesRead,
  Peaks,
  rootFromNodes,
  type NodeGetter,
} from './merkle-nodes';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(crypto.createHash('sha256').update(`leaf ${i}`).digest()));
const storeOf = (nodes: { level: number; idx: number; hash: Buffer }[]) => new Map(nodes.map((x) => [nodeKey(x.level, x.idx), x.hash]));
const hex = (bs: Buffer[]) => bs.map((b) => b.toString('hex'));

test('from stored subtrees: every root, inclusion and consistency proof equals the one computed from all the leaves', () => {
  const all = leaves(70);
  // The nodes of a log of 70 leaves serve every smaller tree too: a complete subtree never changes.
  const get = getterOf(storeOf(allNodes(all)));
  for (let n = 1; n <= all.length; n++) {
    assert.equal(rootFromNodes(n, get).toString('hex'), rootHash(all.slice(0, n)).toString('hex'), `root of ${n}`);
    for (let m = 0; m < n; m++) assert.deepEqual(hex(inclusionFromNodes(m, n, get)), hex(inclusionProof(all, m, n)), `inclusion of ${m} in ${n}`);
    for (let m = 1; m <= n; m++) assert.deepEqual(hex(consistencyFromNodes(m, n, get)), hex(consistencyProof(all, m, n)), `consistency ${m} → ${n}`);
  }
});

test('the peaks of a stream of leaves give the root of every prefix, as the whole-list hashing does', () => {
  const all = leaves(70);
  const peaks = new Peaks();
  assert.equal(peaks.root(), null, 'an empty log has no peaks');
  all.forEach((leaf, i) => {
    peaks.push(i, leaf);
    assert.equal(peaks.root()!.toString('hex'), rootHash(all.slice(0, i + 1)).toString('hex'), `root of ${i + 1}`);
  });
});

test('appending one leaf at a time writes exactly the complete subtrees, reading only the siblings it names', () => {
  const all = leaves(37);
  const store = new Map<string, Buffer>();
  for (let i = 0; i < all.length; i++) {
    const siblings = appendSiblings(i);
    const read: string[] = [];
    const get: NodeGetter = (level, idx) => {
      read.push(nodeKey(level, idx));
      return getterOf(store)(level, idx);
    };
    for (const x of appendNodes(i, all[i], get)) {
      assert.ok(!store.has(nodeKey(x.level, x.idx)), 'a node is written once');
      store.set(nodeKey(x.level, x.idx), x.hash);
    }
    assert.deepEqual(
      read,
      siblings.map((k) => nodeKey(k.level, k.idx)),
    );
  }
  assert.deepEqual([...store.entries()].sort(), [...storeOf(allNodes(all)).entries()].sort());
});

test('a proof reads O(log n) nodes: at most 2 log2 n at a million and at a billion leaves', () => {
  for (const n of [1_000_003, 1_000_000_007]) {
    const bound = 2 * Math.ceil(Math.log2(n));
    for (const m of [0, 1, Math.floor(n / 3), n - 2, n - 1]) {
      const incl = nodesRead((get) => inclusionFromNodes(m, n, get)).length;
      assert.ok(incl <= bound, `inclusion of ${m} in ${n} read ${incl} nodes (bound ${bound})`);
      const cons = nodesRead((get) => consistencyFromNodes(m + 1, n, get)).length;
      assert.ok(cons <= bound, `consistency ${m + 1} → ${n} read ${cons} nodes (bound ${bound})`);
    }
    assert.ok(nodesRead((get) => rootFromNodes(n, get)).length <= Math.ceil(Math.log2(n)));
  }
});

test('proofs from stored nodes verify; a changed node that the root reads breaks it', () => {
  const all = leaves(300);
  const store = storeOf(allNodes(all));
  const get = getterOf(store);
  const root = rootFromNodes(300, get);
  assert.ok(verifyInclusion(all[123], 123, 300, inclusionFromNodes(123, 300, get), root));
  assert.ok(verifyConsistency(77, 300, consistencyFromNodes(77, 300, get), rootFromNodes(77, get), root));
  // The root of 300 reads the top subtrees (256, 32, 8, 4 leaves): changing one changes it.
  assert.deepEqual(
    nodesRead((g) => rootFromNodes(300, g)),
    [
      { level: 8, idx: 0 },
      { level: 5, idx: 8 },
      { level: 3, idx: 36 },
      { level: 2, idx: 74 },
    ],
  );
  store.set(nodeKey(8, 0), Buffer.alloc(32, 1));
  assert.notEqual(rootFromNodes(300, getterOf(store)).toString('hex'), root.toString('hex'));
});
