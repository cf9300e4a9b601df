import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { consistencyProof, inclusionProof, leafHash, rootHash, verifyConsistency, verifyInclusion } from './merkle';

// The test vectors of RFC 6962's reference implementation (certificate-transparency, merkle_tree_test):
// eight leaves and the root of each prefix.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(Buffer.from(h, 'hex')));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

test('roots match the RFC 6962 reference vectors; the empty tree hashes nothing', () => {
  for (let n = 1; n <= 8; n++) assert.equal(rootHash(LEAVES.slice(0, n)).toString('hex'), ROOTS[n - 1], `tree of ${n}`);
  assert.equal(rootHash([]).toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('reference inclusion and consistency proofs', () => {
  assert.deepEqual(
    inclusionProof(LEAVES, 0, 8).map((b) => b.toString('hex')),
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  );
  assert.deepEqual(
    consistencyProof(LEAVES, 1, 8).map((b) => b.toString('hex')),
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  );
});

test('every inclusion and consistency proof up to 40 leaves verifies, and fails when anything changes', () => {
  const leaves = Array.from({ length: 40 }, () => leafHash(crypto.randomBytes(16)));
  for (let n = 1; n <= leaves.length; n++) {
    const root = rootHash(leaves.slice(0, n));
    for (let m = 0; m < n; m++) {
      const proof = inclusionProof(leaves, m, n);
      assert.ok(verifyInclusion(leaves[m], m, n, proof, root), `inclusion ${m} of ${n}`);
      if (n > 1) {
        assert.ok(!verifyInclusion(leaves[(m + 1) % n], m, n, proof, root), 'another leaf');
        assert.ok(!verifyInclusion(leaves[m], (m + 1) % n, n, proof, root) || proof.length === 0, 'another index');
      }
      assert.ok(!verifyInclusion(leaves[m], m, n, proof, crypto.randomBytes(32)), 'another root');
    }
    for (let m = 1; m <= n; m++) {
      const proof = consistencyProof(leaves, m, n);
      const r1 = rootHash(leaves.slice(0, m));
      assert.ok(verifyConsistency(m, n, proof, r1, root), `consistency ${m} -> ${n}`);
      if (m < n) {
        const forged = [...leaves.slice(0, m - 1), leafHash(Buffer.from('forged')), ...leaves.slice(m, n)];
        assert.ok(!verifyConsistency(m, n, proof, r1, rootHash(forged)), 'a rewritten log is inconsistent');
      }
    }
  }
});

test('the odd-node duplication forgery does not work: [a, b, c] and [a, b, c, c] differ', () => {
  const [a, b, c] = LEAVES;
  assert.notEqual(rootHash([a, b, c]).toString('hex'), rootHash([a, b, c, c]).toString('hex'));
});
