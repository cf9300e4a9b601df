import crypto from 'node:crypto';
import { desc } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, certificates, logLeaves, logNodes, removalRequests, treeHeads } from '@/db/schema';
import { auditEventHash, GENESIS_HASH } from '@/lib/audit/record-audit-event';
import { Peaks } from '@/lib/certificates/merkle-nodes';
import { leafHash } from '@/lib/certificates/merkle';
import { signTreeHead } from '@/lib/certificates/tree-head';
import { getSigningKey } from '@/lib/crypto/signing-key';

/**
 * Fills a database straight into its tables for the compliance-pages bench: `n` certificates of
 * one organisation, each with its request and its transparency-log leaf, every complete subtree,
 * and a signed head for every size (as appends would have written them, signed with the
 * platform's key); and `events` chained audit events. It is the setting, not what is measured.
 */
const BATCH = 2000;
const METHODS = ['newton-certified', 'sisa', 'retrain'];

export async function fillCertificatesAndLog(opts: { n: number; organizationId: string; userId: string; models: string[] }): Promise<void> {
  const db = await getDb();
  const key = await getSigningKey();
  const peaks = new Peaks();
  const start = Date.now() - opts.n * 60_000;
  for (let from = 0; from < opts.n; from += BATCH) {
    const count = Math.min(BATCH, opts.n - from);
    const at = (i: number) => new Date(start + i * 60_000);
    const reqs = await db
      .insert(removalRequests)
      .values(Array.from({ length: count }, (_, j) => ({ userId: opts.userId, status: 'completed' as const, submittedAt: at(from + j) })))
      .returning({ id: removalRequests.id });
    const certs = await db
      .insert(certificates)
      .values(
        reqs.map((r, j) => {
          const i = from + j;
          const payload = Buffer.from(JSON.stringify({ bench: i })).toString('base64');
          return {
            requestId: r.id,
            organizationId: opts.organizationId,
            envelope: { payloadType: 'application/vnd.in-toto+json', payload, signatures: [] },
            leafIndex: i,
            issuedAt: new Date(at(i).getTime() + 30_000),
            methods: [METHODS[i % 3]],
            modelIds: [opts.models[i % opts.models.length]],
            datasetIds: [crypto.randomUUID()],
            removedItems: 1 + (i % 9),
            submittedAt: at(i),
          };
        }),
      )
      .returning({ id: certificates.id, leafIndex: certificates.leafIndex });
    const leaves = certs.sort((a, b) => a.leafIndex - b.leafIndex).map((c) => ({ ...c, hash: leafHash(crypto.randomBytes(32)) }));
    const nodes = [];
    const heads = [];
    for (const leaf of leaves) {
      nodes.push(...peaks.push(leaf.leafIndex, leaf.hash));
      const head = signTreeHead({ size: leaf.leafIndex + 1, rootHash: peaks.root()!.toString('hex'), timestamp: new Date().toISOString() }, key);
      heads.push({ ...head, timestamp: new Date(head.timestamp) });
    }
    await db.insert(logLeaves).values(leaves.map((l) => ({ leafIndex: l.leafIndex, leafHash: l.hash.toString('hex'), certificateId: l.id })));
    for (let i = 0; i < nodes.length; i += BATCH) {
      await db.insert(logNodes).values(nodes.slice(i, i + BATCH).map((x) => ({ level: x.level, idx: x.idx, hash: x.hash.toString('hex') })));
    }
    await db.insert(treeHeads).values(heads);
  }
}

export async function fillAuditEvents(events: number, organizationId: string): Promise<void> {
  const db = await getDb();
  const [last] = await db.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  let prev = last?.hash ?? GENESIS_HASH;
  for (let i = 0; i < events; i += BATCH) {
    const rows = [];
    for (let j = 0; j < Math.min(BATCH, events - i); j++) {
      const f = {
        id: crypto.randomUUID(),
        at: new Date(),
        actorType: 'system',
        actorId: null,
        organizationId,
        action: 'bench.event',
        subjectType: 'bench',
        subjectId: String(i + j),
        data: { i: i + j, note: 'x'.repeat(40) },
        prevHash: prev,
      };
      const hash = auditEventHash(f);
      rows.push({ ...f, hash });
      prev = hash;
    }
    await db.insert(auditEvents).values(rows);
  }
}
