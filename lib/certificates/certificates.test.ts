import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { getDb } from '@/db/client';
import { logLeaves, logNodes, removalRequests } from '@/db/schema';
import { getJwks } from '@/lib/crypto/get-jwks';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { eq, gte } from 'drizzle-orm';
import { getBundle } from './get-bundle';
import type { PredicateV2 } from './predicate';
import { signCertificate } from './sign-certificate';
import { auditLog } from './log-audit';
import { consistencyProofBetween, latestTreeHead } from './transparency-log';
import { verifyBundle, type Jwk } from './verify-bundle';
import { exampleModelEntry } from '@/lib/testing/example-predicate';

setUpTestEnvironment();

const hex = () => crypto.randomBytes(32).toString('hex');

function predicate(orgId: string, requestId: string, certificateId: string, weights: string): PredicateV2 {
  return {
    version: '2.0',
    certificateId,
    requestId,
    organization: { id: orgId, name: 'Org' },
    issuedAt: new Date().toISOString(),
    datasets: [{ id: crypto.randomUUID(), name: 'faces', removedItems: 3, confirmedItems: 2, unreviewedItems: 1, manifestSha256: hex() }],
    models: [exampleModelEntry(weights)],
    scope: 'test',
    software: 'forgetme test',
  };
}

async function issue() {
  const org = await seedPartner();
  const person = await seedIndividual();
  const [req] = await (await getDb()).insert(removalRequests).values({ userId: person.id }).returning();
  const id = crypto.randomUUID();
  const weights = hex();
  const cert = await signCertificate({
    certificateId: id,
    requestId: req.id,
    organizationId: org.organization.id,
    subject: [{ name: 'model:head@2', digest: { sha256: weights } }],
    predicate: predicate(org.organization.id, req.id, id, weights),
  });
  return cert;
}

const failed = (v: ReturnType<typeof verifyBundle>) => v.checks.filter((c) => !c.ok).map((c) => c.id);

describeEachDriver('certificates and the transparency log', () => {
  test('a certificate verifies offline, check by check, and online against later heads', async () => {
    const a = await issue();
    const b = await issue();
    assert.deepEqual(
      await signCertificate({
        certificateId: crypto.randomUUID(),
        requestId: a.requestId,
        organizationId: a.organizationId,
        subject: [],
        predicate: {} as never,
      }).then((c) => c.id),
      a.id,
      'idempotent',
    );
    const jwks = (await getJwks()) as { keys: Jwk[] };
    const bundle = JSON.parse(JSON.stringify(await getBundle(a.id)));
    const offline = verifyBundle(bundle, jwks);
    assert.ok(offline.ok, JSON.stringify(offline.checks));
    assert.deepEqual(
      offline.checks.map((c) => c.id),
      ['format', 'signature', 'schema', 'key_validity', 'tree_head', 'checkpoint', 'inclusion'],
    );
    const latest = (await latestTreeHead())!;
    assert.equal(latest.size, b.leafIndex + 1);
    const online = verifyBundle(bundle, jwks, { latest, consistency: await consistencyProofBetween(bundle.treeHead.size, latest.size) });
    assert.ok(online.ok, JSON.stringify(online.checks));
    assert.equal(online.checks.at(-1)!.id, 'consistency');
    const audit = await auditLog();
    assert.deepEqual(audit, { ok: true, size: latest.size, heads: latest.size, mismatches: [], nodeMismatches: 0, gapAt: null, root: latest.rootHash });
  });

  test("tampering is detected and named: a payload byte, a swapped signature, a wrong key, another tree's proof, a rewritten log", async () => {
    const a = await issue();
    const b = await issue();
    const jwks = (await getJwks()) as { keys: Jwk[] };
    const good = await getBundle(a.id);
    const other = await getBundle(b.id);
    const clone = () => JSON.parse(JSON.stringify(good));

    const payload = Buffer.from(good.envelope.payload, 'base64');
    payload[payload.indexOf('"removedItems":3') + 15] = '4'.charCodeAt(0);
    const t1 = clone();
    t1.envelope.payload = payload.toString('base64');
    assert.deepEqual(failed(verifyBundle(t1, jwks)), ['signature', 'key_validity', 'inclusion']);

    const t2 = clone();
    t2.envelope.signatures = other.envelope.signatures;
    assert.ok(failed(verifyBundle(t2, jwks)).includes('signature'));

    const stranger = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const wrongKeys = { keys: jwks.keys.map((k) => ({ ...k, ...stranger })) };
    assert.deepEqual(failed(verifyBundle(good, wrongKeys)), ['signature', 'key_validity', 'tree_head', 'checkpoint']);

    const t4 = clone();
    t4.inclusionProof = other.inclusionProof;
    t4.treeHead = other.treeHead;
    assert.deepEqual(failed(verifyBundle(t4, jwks)), ['checkpoint', 'inclusion'], "the checkpoint is of the certificate's own tree head");

    const t5 = clone();
    t5.envelope.payloadType = 'text/plain';
    assert.ok(failed(verifyBundle(t5, jwks)).includes('schema'));

    assert.deepEqual(failed(verifyBundle({ hello: 'world' }, jwks)), ['format']);

    // Rewriting a stored leaf alone: the audit sees the leaf no longer matches the stored subtrees.
    const db = await getDb();
    await db.update(logLeaves).set({ leafHash: hex() }).where(eq(logLeaves.leafIndex, good.inclusionProof.leafIndex));
    const leafOnly = await auditLog();
    assert.equal(leafOnly.ok, false);
    assert.ok(leafOnly.nodeMismatches > 0);
    // Rewriting the log (the leaf and every subtree above it, recomputed): the heads signed before no longer match,
    // and the online consistency check fails.
    await db.delete(logNodes).where(gte(logNodes.level, 0));
    const audit = await auditLog();
    assert.equal(audit.ok, false);
    assert.equal(audit.nodeMismatches, 0, 'the rewritten subtrees match the rewritten leaves');
    assert.ok(audit.mismatches.length > 0, 'the signed heads do not');
    const latest = (await latestTreeHead())!;
    const proof = await consistencyProofBetween(good.treeHead.size, latest.size);
    // The recomputed proof comes from the rewritten tree: it no longer links the old head to the latest one.
    const rewritten = verifyBundle(good, jwks, { latest, consistency: proof });
    assert.ok(good.treeHead.size < latest.size);
    assert.deepEqual(failed(rewritten), ['consistency']);
  });
});
