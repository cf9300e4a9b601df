import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { eq, gte, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, logLeaves, logNodes, treeHeads } from '@/db/schema';
import { signUp } from '@/lib/auth/sign-up';
import { auditLog } from '@/lib/certificates/log-audit';
import { leafHash, rootHash } from '@/lib/certificates/merkle';
import { appendLeaf } from '@/lib/certificates/transparency-log';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { auditChainStatus } from './chain-status';
import { checkAuditChain, checkTransparencyLog, latestCheck } from './integrity-checks';
import { logStatus } from './log-status';

setUpTestEnvironment();

async function append(leaves: Buffer[], count: number): Promise<void> {
  const db = await getDb();
  await getSigningKey();
  for (let i = 0; i < count; i++) {
    const leaf = leafHash(crypto.randomBytes(32));
    await db.transaction((tx) => appendLeaf(tx, leaf, crypto.randomUUID()));
    leaves.push(leaf);
  }
}

async function events(driver: string, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await signUp({ kind: 'individual', name: `P${i}`, email: `${tag}${i}-${driver}@example.test`, password: 'a long password' }, { ip: '192.0.2.1' });
  }
}

describeEachDriver('integrity checks', ({ driver }) => {
  const leaves: Buffer[] = [];

  test('the streamed audit gives the same answer in batches of 3 as in one batch, and the root of the leaves', async () => {
    await append(leaves, 37);
    const whole = await auditLog();
    assert.deepEqual(await auditLog({ batch: 3 }), whole);
    assert.deepEqual(whole, { ok: true, size: 37, heads: 37, mismatches: [], nodeMismatches: 0, gapAt: null, root: rootHash(leaves).toString('hex') });
  });

  test("the log page: no full check yet, then the job's, extended by later appends; a rewritten log shows on both lines", async () => {
    assert.equal((await logStatus({ liveAuditMax: 0 })).full, null, 'past the live size and before any full check');
    const small = await logStatus();
    assert.equal(small.full?.live, true, 'a small log is audited on the view');
    assert.equal(small.full?.audit.ok, true);
    const check = await checkTransparencyLog();
    assert.equal(check.ok, true);
    assert.equal(check.covered, 37);
    assert.equal((await latestCheck('transparency_log'))?.id, check.id);
    await append(leaves, 5);
    const status = await logStatus({ liveAuditMax: 0 });
    assert.deepEqual(
      { live: status.full?.live, size: status.full?.audit.size, signed: status.latestSigned, stored: status.matchesStored, ext: status.extendsAudited },
      { live: false, size: 37, signed: true, stored: true, ext: true },
    );

    // Rewrite leaf 10 and every subtree above it (as an operator with database access could): the signed heads still
    // sign the old roots, so the latest head is no longer the stored root, and it no longer extends the audited one.
    const db = await getDb();
    const [old] = await db.select().from(logLeaves).where(eq(logLeaves.leafIndex, 10));
    await db
      .update(logLeaves)
      .set({ leafHash: leafHash(Buffer.from('rewritten')).toString('hex') })
      .where(eq(logLeaves.leafIndex, 10));
    await db.delete(logNodes).where(gte(logNodes.level, 0));
    const rewritten = await logStatus({ liveAuditMax: 0 });
    assert.equal(rewritten.matchesStored, false);
    const latest = rewritten.latest!;
    await db
      .update(treeHeads)
      .set({ rootHash: (await auditLog()).root! })
      .where(eq(treeHeads.size, latest.size));
    const resigned = await logStatus({ liveAuditMax: 0 });
    assert.equal(resigned.matchesStored, true, 'the head forged to the rewritten root (its signature no longer verifies)');
    assert.equal(resigned.latestSigned, false);
    assert.equal(resigned.extendsAudited, false, 'and it does not extend the root the full check recomputed');
    const audit = await auditLog({ batch: 4 });
    assert.equal(audit.ok, false);
    assert.deepEqual(audit.mismatches.slice(0, 3), [11, 12, 13], 'every head from leaf 10 on');
    const failed = await checkTransparencyLog();
    assert.equal(failed.ok, false);

    await db.update(logLeaves).set({ leafHash: old.leafHash }).where(eq(logLeaves.leafIndex, 10));
    await db
      .update(treeHeads)
      .set({ rootHash: rootHash(leaves).toString('hex') })
      .where(eq(treeHeads.size, latest.size));
    await db.delete(logNodes).where(gte(logNodes.level, 0));
    assert.equal((await auditLog()).ok, true, 'restored');
  });

  test('a deleted entry and a head beyond the log are found', async () => {
    const db = await getDb();
    const [leaf] = await db.delete(logLeaves).where(eq(logLeaves.leafIndex, 20)).returning();
    const gap = await auditLog({ batch: 8 });
    assert.deepEqual({ ok: gap.ok, gapAt: gap.gapAt, root: gap.root }, { ok: false, gapAt: 20, root: null });
    await db.insert(logLeaves).values(leaf);
    const [head] = await db.select().from(treeHeads).where(eq(treeHeads.size, leaves.length));
    await db.insert(treeHeads).values({ ...head, size: leaves.length + 5 });
    const beyond = await auditLog();
    assert.deepEqual(
      { ok: beyond.ok, mismatches: beyond.mismatches, heads: beyond.heads },
      { ok: false, mismatches: [leaves.length + 5], heads: leaves.length },
    );
    await db.delete(treeHeads).where(eq(treeHeads.size, leaves.length + 5));
    assert.equal((await auditLog()).ok, true);
  });

  test('the audit chain on a page: checked live from the last full check, bounded, and a change caught by one or the other', async () => {
    await events(driver, 3, 'a');
    const db = await getDb();
    const [{ n: total }] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    const before = await auditChainStatus();
    assert.deepEqual(before, { ok: true, fullAt: null, events: total, checkedNow: total, unchecked: 0 });
    const bounded = await auditChainStatus({ limit: 2 });
    assert.deepEqual(bounded, { ok: true, fullAt: null, events: 2, checkedNow: 2, unchecked: total - 2 });

    const full = await checkAuditChain();
    assert.equal(full.ok, true);
    await events(driver, 2, 'b');
    const after = await auditChainStatus();
    assert.ok(after.ok);
    assert.equal(after.events - after.checkedNow, total, 'the full check covered the first events');
    assert.ok(after.checkedNow >= 2, 'the newer ones are checked on the view');

    // A newer event altered: caught on the view. An older one: caught by the next full check, then shown.
    const forge = async (order: 'asc' | 'desc') => {
      const [row] = await db
        .select()
        .from(auditEvents)
        .orderBy(sql.raw(`seq ${order}`))
        .limit(1);
      await db.execute(sql`update audit_events set action = 'forged' where seq = ${row.seq}`);
      return row;
    };
    const newest = await forge('desc');
    const live = await auditChainStatus();
    assert.deepEqual(live.ok ? null : [live.brokenAt, live.foundBy], [{ seq: newest.seq, reason: 'hash_mismatch' }, 'view']);
    await db.execute(sql`update audit_events set action = ${newest.action} where seq = ${newest.seq}`);
    const oldest = await forge('asc');
    assert.equal((await auditChainStatus()).ok, true, 'before the next full check, the older change is not seen');
    assert.equal((await checkAuditChain()).ok, false);
    const shown = await auditChainStatus();
    assert.deepEqual(shown.ok ? null : { brokenAt: shown.brokenAt, full: shown.fullAt !== null, foundBy: shown.foundBy }, {
      brokenAt: { seq: oldest.seq, reason: 'hash_mismatch' },
      full: true,
      foundBy: 'full_check',
    });
  });
});
