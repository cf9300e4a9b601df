import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq, gte } from 'drizzle-orm';
import * as checkpointRoute from '@/app/api/v1/transparency/log/checkpoint/route';
import * as cosignRoute from '@/app/api/v1/transparency/log/cosignatures/route';
import * as refusalsRoute from '@/app/api/v1/transparency/log/refusals/route';
import * as consistencyRoute from '@/app/api/v1/transparency/consistency/route';
import { getDb } from '@/db/client';
import { logLeaves, logNodes, treeHeads } from '@/db/schema';
import { getBundle } from '@/lib/certificates/get-bundle';
import { onlineEvidenceFor } from '@/lib/certificates/online-evidence';
import { privateKeyFromSeed, rawPublicKey, verifierKey } from '@/lib/certificates/signed-note';
import { signRefusal } from '@/lib/certificates/witness-refusal';
import { verifyBundle, type Jwk } from '@/lib/certificates/verify-bundle';
import { verifyHere } from '@/lib/certificates/verify-here';
import { witnessPolicy } from '@/lib/certificates/witness-policy';
import { env, resetEnvForTests } from '@/lib/config/env';
import { getJwks } from '@/lib/crypto/get-jwks';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { issueCertificates } from '@/lib/testing/issue-certificates';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { newWitnessState, witnessOnce, witnessVerifierKey, type Fetcher, type WitnessState } from './witness';

setUpTestEnvironment();

/** The platform as the witness reaches it over HTTP: its public log routes, called directly. */
const platform: Fetcher = async (url, init) => {
  const request = new Request(url, init);
  const path = new URL(url).pathname;
  if (path.endsWith('/log/checkpoint')) return checkpointRoute.GET(request);
  if (path.endsWith('/log/cosignatures')) return cosignRoute.POST(request);
  if (path.endsWith('/log/refusals')) return request.method === 'POST' ? refusalsRoute.POST(request) : refusalsRoute.GET(request);
  if (path.endsWith('/transparency/consistency')) return consistencyRoute.GET(request);
  return new Response('not found', { status: 404 });
};

const checks = (v: ReturnType<typeof verifyBundle>) => Object.fromEntries(v.checks.map((c) => [c.id, c.ok]));

describeEachDriver('a witness of the transparency log', () => {
  test('cosigns what extends what it saw; the log serves the cosignature and bundles carry it; a fork is refused and caught', async () => {
    const logKey = verifierKey(env().logOrigin, rawPublicKey((await getSigningKey()).privateKey));
    let w: WitnessState = newWitnessState({ name: 'witness.test/w1', url: 'http://localhost', logKey });
    const stranger = newWitnessState({ name: 'witness.test/w2', url: 'http://localhost', logKey });
    process.env.FORGETME_WITNESSES = witnessVerifierKey(w);
    process.env.FORGETME_WITNESS_QUORUM = '1';
    resetEnvForTests();
    const jwks = (await getJwks()) as { keys: Jwk[] };
    const policy = witnessPolicy([witnessVerifierKey(w)], 1);

    const ids = await issueCertificates(3);
    let round = await witnessOnce(w, platform);
    assert.deepEqual({ ...round.outcome, answer: undefined }, { event: 'cosigned', size: 3, accepted: true, answer: undefined });
    w = round.state;
    assert.match(await (await platform('http://localhost/api/v1/transparency/log/checkpoint')).text(), /^— witness\.test\/w1 /m, 'served with the checkpoint');
    // An unknown witness is refused by the log, and so is a cosignature of a checkpoint the log never signed.
    const strangerAnswer = (await witnessOnce(stranger, platform)).outcome;
    assert.ok(strangerAnswer.event === 'cosigned' && !strangerAnswer.accepted && /not a witness of this log/.test(strangerAnswer.answer));
    const served = await (await platform('http://localhost/api/v1/transparency/log/checkpoint')).text();
    const other = served.replace(/\n3\n/, '\n2\n');
    const post = (checkpoint: string) =>
      platform('http://localhost/api/v1/transparency/log/cosignatures', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ checkpoint, cosignature: served.split('\n').find((l) => l.startsWith('— witness.test/w1'))! }),
      });
    assert.equal((await post(other)).status, 409, 'a checkpoint this log never signed');

    // Certificate 2 (log size 2) is covered by the witnessed checkpoint of size 3: it verifies offline with the witness policy.
    const bundle = JSON.parse(JSON.stringify(await getBundle(ids[1])));
    assert.ok(bundle.witnessed, 'the bundle carries the cosigned checkpoint and a consistency proof to it');
    const offline = verifyBundle(bundle, jwks, undefined, policy);
    assert.ok(offline.ok, JSON.stringify(offline.checks.filter((c) => !c.ok)));
    assert.equal(checks(offline).witnessed, true);
    assert.match(offline.checks.find((c) => c.id === 'witnessed')!.detail, /cosigned by 1 of 1 trusted witnesses: witness\.test\/w1/);
    assert.equal(
      checks(verifyBundle(bundle, jwks, undefined, witnessPolicy([witnessVerifierKey(stranger)], 1))).witnessed,
      false,
      'another witness did not sign',
    );
    assert.match(verifyBundle(bundle, jwks).checks.find((c) => c.id === 'witnessed')!.detail, /no witness policy given/);
    const unwitnessed = { ...bundle, witnessed: undefined };
    assert.equal(checks(verifyBundle(unwitnessed, jwks, undefined, policy)).witnessed, false, 'a policy requires a cosigned checkpoint');

    await issueCertificates(1);
    round = await witnessOnce(w, platform);
    assert.equal(round.outcome.event === 'cosigned' && round.outcome.size, 4, 'consistent with size 3: cosigned');
    w = round.state;

    // A fork: the log signs another root for size 4. The witness refuses it and never cosigns it.
    const db = await getDb();
    const [real] = await db.select().from(treeHeads).where(eq(treeHeads.size, 4));
    await db
      .update(treeHeads)
      .set({ rootHash: 'ab'.repeat(32) })
      .where(eq(treeHeads.size, 4));
    const fork = await witnessOnce(w, platform);
    assert.equal(fork.outcome.event, 'refused');
    assert.match(fork.outcome.event === 'refused' ? fork.outcome.reason : '', /two checkpoints of size 4 with different roots/);
    assert.equal(fork.state.refusals.length, 1, 'the refusal is kept in its state');
    assert.deepEqual(fork.state.last, w.last, 'and it still holds what it cosigned');
    assert.deepEqual(fork.outcome.event === 'refused' && [fork.outcome.reported, fork.outcome.answer.includes('"stored":true')], [true, true]);
    const shown = (await (await platform('http://localhost/api/v1/transparency/log/refusals')).json()) as { refusals: { witness: string; reason: string }[] };
    assert.deepEqual(
      shown.refusals.map((r) => [r.witness, /different roots/.test(r.reason)]),
      [['witness.test/w1', true]],
      'the log serves the refusal',
    );
    const told = await verifyHere(bundle, policy);
    assert.ok(
      told.notices.some((n) => n.startsWith('Witness witness.test/w1 reported that on') && /different roots/.test(n)),
      'a reader verifying on the platform is told',
    );
    const report = (body: object) =>
      platform('http://localhost/api/v1/transparency/log/refusals', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const signed = { witness: w.name, at: 1_700_000_000, reason: 'r', checkpoint: served };
    const sig = signRefusal(signed, privateKeyFromSeed(Buffer.from(w.seed, 'base64')));
    assert.equal((await report({ ...signed, signature: sig })).status, 201);
    assert.deepEqual(((await (await report({ ...signed, signature: sig })).json()) as { refusal: { stored: boolean } }).refusal.stored, false, 'once');
    assert.equal((await report({ ...signed, reason: 'altered', signature: sig })).status, 422, 'a signature over another reason');
    const strangerSig = signRefusal({ ...signed, witness: stranger.name }, privateKeyFromSeed(Buffer.from(stranger.seed, 'base64')));
    assert.equal((await report({ ...signed, witness: stranger.name, signature: strangerSig })).status, 403, 'not a witness of this log');
    await db.update(treeHeads).set({ rootHash: real.rootHash }).where(eq(treeHeads.size, 4));

    // A rewrite: a leaf changed and the tree recomputed, then appended to. Not consistent with what the witness cosigned.
    await db
      .update(logLeaves)
      .set({ leafHash: 'cd'.repeat(32) })
      .where(eq(logLeaves.leafIndex, 0));
    await db.delete(logNodes).where(gte(logNodes.level, 0));
    await issueCertificates(1);
    const rewritten = await witnessOnce(w, platform);
    assert.match(rewritten.outcome.event === 'refused' ? rewritten.outcome.reason : '', /not consistent .* the log was rewritten/);
    // forgetme verify, online, catches it too: the log's latest head no longer extends the certificate's.
    const online = verifyBundle(bundle, jwks, await onlineEvidenceFor(bundle), policy);
    assert.equal(checks(online).consistency, false);
    assert.equal(checks(online).witnessed, true, 'while the witnessed checkpoint it carries still vouches for the log it was issued in');
  });
});
