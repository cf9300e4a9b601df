import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, certificates, modelVersions, removalRequests, removalTasks, requestReferences, webhookEvents } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { getBundle } from '@/lib/certificates/get-bundle';
import { verifyBundle, type Jwk } from '@/lib/certificates/verify-bundle';
import { getJwks } from '@/lib/crypto/get-jwks';
import { blobPath, getBlob, hasBlob } from '@/lib/blobs/blob-store';
import { signEnvelope } from '@/lib/certificates/dsse';
import { replayCertificate } from '@/lib/certificates/replay-certificate';
import { AppError } from '@/lib/errors/app-error';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { getModel, getVersionManifest, listVersions } from '@/lib/models/get-models';
import { decodeHoldout } from '@/lib/models/holdout-file';
import { loadModelFiles } from '@/lib/models/version-files';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { approveIdentityByOperator, partnerWithModel, reference } from '@/lib/testing/removal-fixtures';
import { CONSENT_VERSION } from './consent';
import { runCertify } from './certify-job';
import { runMatching, startMatching } from './matching';
import { addReference, listReferences } from './references';
import { getReview, matchThumbnail } from './review';
import { startRequest } from './start-request';
import { submitRequest } from './submit-request';
import { runUnlearning } from './unlearn-job';
import { withdrawRequest } from './withdraw';
import { listPartnerRequests } from './partner-requests';

// Every log line of the journey, at debug level, is kept (not printed) for the leak check below.
process.env.FORGETME_LOG_LEVEL = 'debug';
const logLines: string[] = [];
for (const stream of ['log', 'error'] as const) console[stream] = (...args: unknown[]) => void logLines.push(args.map(String).join(' '));
setUpTestEnvironment();
after(() => closeThreadPool());

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

describeEachDriver('the removal journey', () => {
  test('consent, references, matches, confirmation, certified removal, a verifiable certificate, and the biometric data deleted', async () => {
    const { org, model } = await partnerWithModel();
    const person = await seedIndividual();
    await assert.rejects(startRequest({ userId: person.id, consent: false, consentVersion: CONSENT_VERSION }), code('validation_failed'));
    const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });

    const group = await addReference({ userId: person.id, requestId: req.id, bytes: fs.readFileSync('lib/faces/fixtures/group-bbt3.jpg') });
    assert.deepEqual(group.ok ? null : group.code, 'several_faces');
    for (const i of [0, 1]) assert.ok((await addReference({ userId: person.id, requestId: req.id, bytes: reference('Abdullah_Gul', i) })).ok);
    const stranger = await seedIndividual();
    await assert.rejects(addReference({ userId: stranger.id, requestId: req.id, bytes: reference('Abdullah_Gul') }), code('not_found'));

    await approveIdentityByOperator(person.id, req.id);
    await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.1' });
    await runMatching(req.id);
    const review = await getReview(person.id, req.id);
    // What was searched is on record with the request, matches or not.
    const [searched] = await (await getDb()).select().from(removalRequests).where(eq(removalRequests.id, req.id));
    assert.ok(searched.searchScope && searched.searchScope.faces > 0);
    assert.ok(searched.searchScope.datasets.some((d) => d.faces > 0 && d.organization === org.organization.name));
    // With the labels searched and the thresholds that registry's size put in force.
    const th = searched.searchScope.thresholds!;
    assert.ok(searched.searchScope.labels! > 0 && th.photo.shown <= th.photo.possible && th.label.length > 0);
    assert.ok(th.expectedStrangers.shown <= 0.01 + 1e-9 && th.expectedStrangers.possible <= 1 + 1e-9);
    assert.equal(th.strangersCounted, 'photos', 'the expected strangers count photos');
    // A registry this small affords the rarest chance the rule allows (registry-thresholds.ts, LARGE_LABEL).
    assert.deepEqual(th.largeLabel, { photos: 3, chance: 0.001 }, "a stranger's label of more than 3 photos in at most 1 search in 1,000");
    // Two photos of one face (no live capture: an operator checked the identity), searched as one group.
    assert.deepEqual(searched.searchScope.references, { photos: 2, groups: 1 });
    assert.equal(review.length, 1);
    assert.ok(review[0].shown.length >= 3, `shown: ${review[0].shown.length}`);
    const thumb = await matchThumbnail(person.id, req.id, review[0].shown[0].matchId);
    assert.equal(thumb[0], 0xff, 'a JPEG thumbnail');
    await assert.rejects(matchThumbnail(stranger.id, req.id, review[0].shown[0].matchId), code('not_found'));

    const submitted = await submitRequest({
      userId: person.id,
      requestId: req.id,
      input: { confirmedMatchIds: review[0].shown.map((s) => s.matchId), includePossible: true, attest: true },
    });
    assert.equal(submitted.models, 1);
    const db = await getDb();
    assert.ok((await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, org.organization.id))).some((e) => e.type === 'removal.requested'));

    const seen = await listPartnerRequests(org.organization.id, { limit: 10 });
    assert.equal(seen.data.length, 1);
    assert.equal(seen.data[0].requestId, req.id);
    assert.ok(seen.data[0].items.length >= 3 && seen.data[0].items.every((i) => i.externalId.startsWith('Abdullah_Gul')));
    const otherOrg = await seedPartner();
    assert.equal((await listPartnerRequests(otherOrg.organization.id, { limit: 10 })).data.length, 0);

    // Run twice, as after a crash: one new version, one certificate.
    await runUnlearning(model.id);
    await runUnlearning(model.id);
    await runCertify(req.id);
    await runCertify(req.id);
    const versions = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    assert.equal(versions.length, 2);
    const v2 = versions.find((v) => v.version === 2)!;
    assert.equal((v2.report as { identityTest: number }).identityTest, 0, 'the new version no longer names the person on the removed photos');
    // The release keeps its held-out samples: the trained version's, less the person's photos.
    const v1 = versions.find((v) => v.version === 1)!;
    const removedItems = new Set((await db.select().from(removalTasks).where(eq(removalTasks.requestId, req.id))).flatMap((t) => t.itemIds));
    const [held1, held2] = [decodeHoldout(await getBlob(v1.holdoutSha256!)), decodeHoldout(await getBlob(v2.holdoutSha256!))];
    assert.deepEqual(
      held2.ids,
      held1.ids.filter((id) => !removedItems.has(id)),
    );
    const certs = await db.select().from(certificates).where(eq(certificates.requestId, req.id));
    assert.equal(certs.length, 1);
    const v = verifyBundle(JSON.parse(JSON.stringify(await getBundle(certs[0].id))), (await getJwks()) as { keys: Jwk[] });
    assert.ok(v.ok, JSON.stringify(v.checks));
    assert.equal(v.predicate!.models[0].after.version, 2);
    // On a set this small, removing a fifth of it may exceed what a Newton step can certify: the
    // mechanism then retrains (exact). Either way the certificate says which, and a certified
    // release is within its bound.
    const m = v.predicate!.models[0];
    assert.equal(m.method, v2.reason === 'retrain' ? 'retrain' : 'newton-certified');
    assert.equal(m.retrained, v2.reason === 'retrain');
    if (m.method === 'newton-certified') assert.ok(m.guarantee.residual! <= m.guarantee.residualBound!);
    assert.equal(v.predicateMajor, 2);
    // The certificate states the search: the registry searched, the thresholds and the expected strangers.
    assert.deepEqual(v.predicate!.search, {
      facesSearched: searched.searchScope.faces,
      labelsSearched: searched.searchScope.labels,
      datasetsSearched: searched.searchScope.datasets.length,
      referenceGroups: 1,
      thresholds: { photo: th.photo, label: th.label },
      expectedStrangers: th.expectedStrangers,
      strangersCounted: 'photos',
      largeLabel: { photos: 3, chance: 0.001 },
      extrapolated: th.extrapolated,
      calibrated: th.calibrated,
    });
    assert.deepEqual(v.notices, []);
    assert.equal(m.release?.noise.redrawn, true, 'the release rests on freshly drawn secret noise');
    assert.match(m.release.commitments.noiseAfter ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(m.release.commitments.noiseAfter, m.release.commitments.noiseBefore);
    assert.equal(m.release.commitments.filesAfter['noise.f64'], undefined, 'the plain digest of the noise is never certified');
    // Per-person evidence: the person's removed photos, tested against shadow heads.
    assert.equal(m.evidence?.method, 'lira-per-person');
    // Its verdicts on correct and broken removals are asserted on fixed noise (forgetting-evidence.test.ts);
    // here the noise is secret, and a correct release may be flagged by chance (at most 1 %).
    // How many of the person's photos trained the model depends on the hold-out split (a hash of random item ids).
    assert.ok(m.evidence.photos >= 1 && m.evidence.pairs >= m.evidence.photos, JSON.stringify(m.evidence));
    assert.ok(m.evidence.power.auc > 0.9, `the test has power on this person: ${m.evidence.power.auc}`);

    // The auditor's replay passes on the genuine files and fails on each tampering.
    const bundle = JSON.parse(JSON.stringify(await getBundle(certs[0].id)));
    const replay = await replayCertificate(bundle);
    assert.ok(replay.ok, JSON.stringify(replay.checks.filter((c) => !c.ok)));
    for (const file of ['weights.f64', 'noise.f64', 'model.json', 'labels.i32']) {
      const blob = blobPath(v2.files[file]);
      const original = fs.readFileSync(blob);
      const changed = Buffer.from(original);
      changed[changed.length - 9] ^= 1;
      fs.writeFileSync(blob, changed);
      try {
        const tampered = await replayCertificate(bundle);
        assert.equal(tampered.ok, false, `a changed ${file} is caught`);
      } finally {
        fs.writeFileSync(blob, original);
      }
    }
    await assert.rejects(
      replayCertificate({ ...bundle, envelope: { ...bundle.envelope, payload: bundle.envelope.payload.slice(0, 40) } }),
      code('validation_failed'),
    );
    await assert.rejects(replayCertificate({ treeHead: bundle.treeHead }), code('validation_failed'));
    const otherKey = crypto.generateKeyPairSync('ed25519');
    const foreign = {
      ...bundle,
      envelope: signEnvelope(bundle.envelope.payloadType, Buffer.from(bundle.envelope.payload, 'base64'), {
        privateKey: otherKey.privateKey,
        kid: 'another-platform',
      }),
    };
    await assert.rejects(
      replayCertificate(foreign),
      (e: unknown) => e instanceof AppError && e.code === 'validation_failed' && /not signed by this platform/.test(e.message),
    );
    const purged = blobPath(v2.files['residual.f64']);
    fs.renameSync(purged, `${purged}.aside`);
    try {
      await assert.rejects(replayCertificate(bundle), code('blob_missing'));
    } finally {
      fs.renameSync(`${purged}.aside`, purged);
    }
    assert.ok((await replayCertificate(bundle)).ok, 'the replays changed nothing');

    const [done] = await db.select().from(removalRequests).where(eq(removalRequests.id, req.id));
    assert.equal(done.status, 'completed');
    assert.ok(done.purgedAt);
    assert.equal((await listReferences(req.id)).length, 0, 'reference rows deleted');
    assert.equal((await db.select().from(requestReferences).where(eq(requestReferences.requestId, req.id))).length, 0);
    const events = (await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, org.organization.id))).map((e) => e.type);
    for (const t of ['removal.requested', 'model.version_created', 'certificate.issued']) assert.ok(events.includes(t), t);

    // Nothing the partner reads, and no log line, holds the noise of any version or a seed.
    const partnerView = [
      await getModel(org.organization.id, model.id),
      await listVersions(org.organization.id, model.id),
      await getVersionManifest(org.organization.id, model.id, 1),
      await getVersionManifest(org.organization.id, model.id, 2),
      await listPartnerRequests(org.organization.id, { limit: 10 }),
      await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, org.organization.id)),
      await db.select().from(auditEvents),
      bundle,
    ];
    const text = JSON.stringify(partnerView) + logLines.join('\n');
    assert.ok(
      logLines.some((l) => l.includes('removal released')),
      "the journey's log lines were captured",
    );
    assert.doesNotMatch(text, /"seed"/);
    for (const v of versions) {
      const loaded = await loadModelFiles(v);
      assert.ok(loaded.model.kind === 'newton-certified');
      const b = loaded.model.kind === 'newton-certified' ? Buffer.from(loaded.model.noise.buffer, loaded.model.noise.byteOffset, 48) : Buffer.alloc(0);
      assert.equal(text.includes(b.toString('hex')) || text.includes(b.toString('base64').slice(0, 40)), false, `version ${v.version}'s noise leaked`);
      if (loaded.model.kind === 'newton-certified') assert.equal(text.includes(String(loaded.model.noise[0])), false);
    }
  });

  test('withdrawal before processing deletes the photos; a request cannot be submitted twice or by someone else', async () => {
    await partnerWithModel();
    const person = await seedIndividual();
    const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
    const added = await addReference({ userId: person.id, requestId: req.id, bytes: reference('Adrien_Brody') });
    assert.ok(added.ok);
    const db = await getDb();
    const [ref] = await db.select().from(requestReferences).where(eq(requestReferences.requestId, req.id));
    assert.ok(await hasBlob(ref.photoBlob));
    assert.notEqual(
      (await fs.promises.readFile(path.join(process.env.FORGETME_DATA_DIR!, 'blobs', ref.photoBlob.slice(0, 2), ref.photoBlob.slice(2, 4), ref.photoBlob)))[0],
      0xff,
      'stored sealed, not as a JPEG',
    );
    const other = await seedIndividual();
    await assert.rejects(withdrawRequest({ userId: other.id, requestId: req.id }), code('not_found'));
    await withdrawRequest({ userId: person.id, requestId: req.id });
    assert.equal(await hasBlob(ref.photoBlob), false);
    assert.equal((await listReferences(req.id)).length, 0);
    await assert.rejects(startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.1' }), code('conflict'));
    await assert.rejects(
      submitRequest({ userId: person.id, requestId: req.id, input: { confirmedMatchIds: [], includePossible: true, attest: true } }),
      code('conflict'),
    );
  });
});
