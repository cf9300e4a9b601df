import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { gte } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { logNodes } from '@/db/schema';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { consistencyProof, inclusionProof, leafHash, rootHash } from './merkle';
import { auditLog } from './log-audit';
import { appendLeaf, consistencyProofBetween, inclusionProofAt } from './transparency-log';

setUpTestEnvironment();

const hex = (bs: Buffer[]) => bs.map((b) => b.toString('hex'));

async function append(leaves: Buffer[], count: number): Promise<string[]> {
  const db = await getDb();
  // As signCertificate does: the key is registered before the log's transaction (PGlite has one connection).
  await getSigningKey();
  const roots: string[] = [];
  for (let i = 0; i < count; i++) {
    const leaf = leafHash(crypto.randomBytes(32));
    const { leafIndex, head } = await db.transaction((tx) => appendLeaf(tx, leaf, crypto.randomUUID()));
    assert.equal(leafIndex, leaves.length, 'indices are dense');
    leaves.push(leaf);
    roots.push(head.rootHash);
  }
  return roots;
}

describeEachDriver('the transparency log, stored as complete subtrees', () => {
  test('each signed head and every proof equals the one computed from all the leaves; a log from before the subtrees is backfilled unchanged', async () => {
    const leaves: Buffer[] = [];
    const roots = await append(leaves, 21);
    roots.forEach((r, i) => assert.equal(r, rootHash(leaves.slice(0, i + 1)).toString('hex'), `head of ${i + 1}`));
    for (const [m, n] of [
      [0, 1],
      [5, 8],
      [12, 21],
      [20, 21],
    ]) {
      assert.deepEqual(await inclusionProofAt(m, n), hex(inclusionProof(leaves, m, n)), `inclusion of ${m} in ${n}`);
    }
    for (const [m, n] of [
      [1, 21],
      [8, 13],
      [13, 21],
    ]) {
      assert.deepEqual(await consistencyProofBetween(m, n), hex(consistencyProof(leaves, m, n)), `consistency ${m} → ${n}`);
    }

    // A log written before the subtrees were stored: the first read or append stores them, the roots unchanged.
    const db = await getDb();
    await db.delete(logNodes).where(gte(logNodes.level, 0));
    assert.deepEqual(await inclusionProofAt(3, 21), hex(inclusionProof(leaves, 3, 21)));
    await db.delete(logNodes).where(gte(logNodes.level, 0));
    const [next] = await append(leaves, 1);
    assert.equal(next, rootHash(leaves).toString('hex'));
    const root = rootHash(leaves).toString('hex');
    assert.deepEqual(await auditLog(), { ok: true, size: 22, heads: 22, mismatches: [], nodeMismatches: 0, gapAt: null, root });
  });

  test('proofs for a size the log never had are refused as not found', async () => {
    await assert.rejects(inclusionProofAt(0, 10_000), /no leaf 0 in a tree of 10000/);
    await assert.rejects(consistencyProofBetween(1, 10_000), /no head of size 10000/);
  });
});
