/**
 * The transparency log at 10⁴, 10⁵ and 10⁶ leaves (synthetic leaf hashes, on a fresh database):
 * the time of an append (a leaf, its subtrees and a signed head, in one transaction), of an
 * inclusion proof and of a consistency proof, each the median and p95 of `--samples` runs at each
 * size. An append or proof reads O(log n) stored subtrees, so the times should not grow with n.
 * Filling the log goes straight to the tables (leaves and subtrees computed in memory): it is the
 * setting, not what is measured. Prints one JSON object.
 *
 *   node --import tsx bench/transparency-log.ts [--driver pglite|postgres] [--sizes 10000,100000,1000000] [--samples 30]
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { setDbHandleForTests } from '@/db/client';
import { logLeaves, logNodes } from '@/db/schema';
import { leafHash } from '@/lib/certificates/merkle';
import { allNodes } from '@/lib/certificates/merkle-nodes';
import { appendLeaf, consistencyProofBetween, inclusionProofAt } from '@/lib/certificates/transparency-log';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { openTestDatabase } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'pglite' },
    url: { type: 'string' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
    samples: { type: 'string', default: '30' },
  },
});
setUpTestEnvironment();
const handle = await openTestDatabase(values.driver === 'postgres' ? 'postgres' : 'pglite', values.url ?? 'postgres://postgres@127.0.0.1:5432/postgres');
setDbHandleForTests(handle);
const db = handle.db;
await getSigningKey();
const samples = Number(values.samples);

const ms = (t0: number) => performance.now() - t0;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: +s[Math.floor(s.length / 2)].toFixed(2), p95: +s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)].toFixed(2) };
};
const randomInt = (n: number) => crypto.randomInt(0, n);

/** Fills the log up to `size` leaves, straight into the tables (the subtrees computed in memory). */
const leaves: Buffer[] = [];
async function fill(size: number) {
  const from = leaves.length;
  while (leaves.length < size) leaves.push(leafHash(crypto.randomBytes(32)));
  for (let i = from; i < size; i += 5000) {
    const rows = leaves
      .slice(i, Math.min(size, i + 5000))
      .map((h, j) => ({ leafIndex: i + j, leafHash: h.toString('hex'), certificateId: crypto.randomUUID() }));
    await db.insert(logLeaves).values(rows);
  }
  const fresh = allNodes(leaves).filter((x) => (x.idx + 1) * 2 ** x.level > from);
  for (let i = 0; i < fresh.length; i += 5000) {
    const rows = fresh.slice(i, i + 5000).map((x) => ({ level: x.level, idx: x.idx, hash: x.hash.toString('hex') }));
    await db.insert(logNodes).values(rows).onConflictDoNothing();
  }
}

const out: Record<string, unknown> = { driver: values.driver, samples };
try {
  for (const size of values.sizes.split(',').map(Number)) {
    const t0 = performance.now();
    await fill(size - samples);
    const fillSeconds = +(ms(t0) / 1000).toFixed(1);
    const append: number[] = [];
    for (let i = 0; i < samples; i++) {
      const leaf = leafHash(crypto.randomBytes(32));
      const t = performance.now();
      await db.transaction((tx) => appendLeaf(tx, leaf, crypto.randomUUID()));
      append.push(ms(t));
      leaves.push(leaf);
    }
    const n = leaves.length;
    const inclusion: number[] = [];
    const consistency: number[] = [];
    for (let i = 0; i < samples; i++) {
      let t = performance.now();
      await inclusionProofAt(randomInt(n), n);
      inclusion.push(ms(t));
      t = performance.now();
      await consistencyProofBetween(1 + randomInt(n - 1), n);
      consistency.push(ms(t));
    }
    out[String(n)] = { fillSeconds, appendMs: stats(append), inclusionMs: stats(inclusion), consistencyMs: stats(consistency) };
    console.error(JSON.stringify({ size: n, ...(out[String(n)] as object) }));
  }
} finally {
  await handle.close();
}
console.log(JSON.stringify(out, null, 2));
