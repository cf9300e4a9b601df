import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, deploymentAcknowledgements, models, modelVersions, removalRequests, removalTasks, webhookEvents } from '@/db/schema';
import { seedIndividual, seedMember, seedPartner } from '@/db/seed/factories';
import { getBundle } from '@/lib/certificates/get-bundle';
import { onlineEvidenceFor } from '@/lib/certificates/online-evidence';
import { signCertificate } from '@/lib/certificates/sign-certificate';
import { verifyBundle, type Jwk } from '@/lib/certificates/verify-bundle';
import { getJwks } from '@/lib/crypto/get-jwks';
import { createDataset } from '@/lib/datasets/create-dataset';
import { AppError } from '@/lib/errors/app-error';
import { exampleModelEntry } from '@/lib/testing/example-predicate';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { signEnvelope, type Envelope } from '@/lib/certificates/dsse';
import { acknowledgeDeployment, deploymentStatementFor } from './acknowledge-deployment';
import { deploymentEvidence } from './deployment-evidence';
import { deploymentStatement, statementToSign } from './deployment-statement';
import { registerDeploymentKey, revokeDeploymentKey } from './deployment-keys';
import { deploymentFindings } from './verify-deployments';

setUpTestEnvironment();

const code = (c: string, re?: RegExp) => (e: unknown) => e instanceof AppError && e.code === c && (!re || re.test(e.message));
const hex = () => crypto.randomBytes(32).toString('hex');

function newKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return { privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Signs the statement's payload as a partner would: Ed25519 over DSSE's PAE, under the registered key id. */
function sign(statement: { payloadType: string; payload: string }, kid: string, privateKey: crypto.KeyObject): Envelope {
  return signEnvelope(statement.payloadType, Buffer.from(statement.payload, 'base64'), { kid, privateKey });
}

/**
 * A partner with a model of two versions and one certificate ending at each: rows as the unlearning
 * and certify jobs leave them (the acknowledgement reads no model file). Each certificate is signed
 * and logged for real.
 */
async function partnerWithCertificates() {
  const org = await seedPartner();
  const organizationId = org.organization.id;
  const actor = { type: 'user', id: org.admin.id } as const;
  const db = await getDb();
  const ds = await createDataset({ organizationId, actor, input: { name: 'Studio', description: '' } });
  const [model] = await db
    .insert(models)
    .values({ organizationId, datasetId: ds.id, name: 'Head', kind: 'newton-certified', params: {}, status: 'ready' })
    .returning();
  const version = async (n: number) =>
    (
      await db
        .insert(modelVersions)
        .values({
          modelId: model.id,
          version: n,
          reason: n === 1 ? 'trained' : 'removal',
          noiseSource: 'secret',
          files: {},
          weightsSha256: hex(),
          classes: 3,
          samples: 30,
          budgetUsed: 0,
          report: {},
        })
        .returning()
    )[0];
  const v1 = await version(1);
  const v2 = await version(2);
  const certify = async (from: typeof v1, to: typeof v1) => {
    const person = await seedIndividual();
    const [req] = await db.insert(removalRequests).values({ userId: person.id, status: 'completed', submittedAt: new Date() }).returning();
    await db
      .insert(removalTasks)
      .values({ requestId: req.id, modelId: model.id, organizationId, status: 'certified', itemIds: [], fromVersionId: from.id, toVersionId: to.id });
    const certificateId = crypto.randomUUID();
    const entry = exampleModelEntry(to.weightsSha256, {
      modelId: model.id,
      modelName: model.name,
      before: { version: from.version, weightsSha256: from.weightsSha256 },
      after: { version: to.version, weightsSha256: to.weightsSha256 },
    });
    await signCertificate({
      certificateId,
      requestId: req.id,
      organizationId,
      subject: [{ name: 'Head', digest: { sha256: to.weightsSha256 } }],
      predicate: {
        version: '2.0',
        certificateId,
        requestId: req.id,
        organization: { id: organizationId, name: org.organization.name },
        issuedAt: new Date().toISOString(),
        datasets: [],
        models: [entry],
        scope: 'test',
        software: 'test',
      },
    });
    return certificateId;
  };
  // A held-out removal ends at the version it found (v1); a released one at the new version (v2).
  const c1 = await certify(v1, v1);
  const c2 = await certify(v1, v2);
  return { org, organizationId, actor, model, v1, v2, c1, c2 };
}

async function verifyOnline(certificateId: string) {
  const bundle = JSON.parse(JSON.stringify(await getBundle(certificateId)));
  return verifyBundle(bundle, (await getJwks()) as { keys: Jwk[] }, await onlineEvidenceFor(bundle));
}

describeEachDriver('deployment acknowledgements signed by the partner', () => {
  test('a registered key signs the statement; the certificates it names show it, and every forgery is refused', async () => {
    const p = await partnerWithCertificates();
    const at = { organizationId: p.organizationId, actor: p.actor, modelId: p.model.id };
    const key = newKey();
    await assert.rejects(
      registerDeploymentKey({ ...at, input: { name: 'k', publicKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }),
      code('validation_failed', /private key/),
    );
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await assert.rejects(registerDeploymentKey({ ...at, input: { name: 'k', publicKey: rsa } }), code('validation_failed', /rsa key/));
    const engineer = await seedMember({ organizationId: p.organizationId, role: 'engineer' });
    const asEngineer = { ...at, actor: { type: 'user', id: engineer.id } as const };
    await assert.rejects(registerDeploymentKey({ ...asEngineer, input: { name: 'k', publicKey: key.pem } }), code('forbidden'), 'administrators only');
    await assert.rejects(registerDeploymentKey({ ...at, input: { name: 'a\u0000b', publicKey: key.pem } }), code('validation_failed', /NUL/));
    const reg = await registerDeploymentKey({ ...at, input: { name: 'CI deploy', publicKey: key.pem } });
    await assert.rejects(revokeDeploymentKey({ ...asEngineer, keyId: reg.id }), code('forbidden'));
    assert.match(reg.kid, /^[A-Za-z0-9_-]{43}$/);
    await assert.rejects(registerDeploymentKey({ ...at, input: { name: 'again', publicKey: key.pem } }), code('conflict'));

    // Before any acknowledgement, the certificate verifies and says so.
    const before = await verifyOnline(p.c1);
    assert.ok(before.ok, JSON.stringify(before.checks));
    assert.deepEqual(
      before.deployments?.map((d) => d.status),
      ['not_acknowledged'],
    );

    // Version 1 puts c1 into production (c2 ends at version 2).
    const s1 = await deploymentStatementFor(p.organizationId, p.model.id, 1);
    assert.deepEqual(s1.statement.predicate.certificateIds, [p.c1]);
    assert.equal(s1.statement.subject[0].digest.sha256, p.v1.weightsSha256);
    const env1 = sign(s1, reg.kid, key.privateKey);

    // Forgeries: a signature by an unregistered key under the registered id, bytes altered after signing, no signature.
    const forged = sign(s1, reg.kid, crypto.generateKeyPairSync('ed25519').privateKey);
    await assert.rejects(acknowledgeDeployment({ ...at, version: 1, envelope: forged }), code('signature_invalid', /does not verify/));
    const altered = { ...env1, payload: Buffer.from(Buffer.from(env1.payload, 'base64').toString().replace(p.c1, p.c2)).toString('base64') };
    await assert.rejects(acknowledgeDeployment({ ...at, version: 1, envelope: altered }), code('signature_invalid'));
    await assert.rejects(acknowledgeDeployment({ ...at, version: 1, envelope: { ...env1, signatures: [] } }), code('signature_invalid', /no signature/));
    // A genuine signature over version 1's statement, sent as version 2's acknowledgement.
    await assert.rejects(acknowledgeDeployment({ ...at, version: 2, envelope: env1 }), code('validation_failed', /not version 2/));
    // Another organisation's key: it signs its own statements, never this organisation's.
    const b = await seedPartner();
    const bKey = newKey();
    const bReg = await registerDeploymentKey({
      organizationId: b.organization.id,
      actor: { type: 'user', id: b.admin.id },
      input: { name: 'b', publicKey: bKey.pem },
    });
    await assert.rejects(acknowledgeDeployment({ ...at, version: 1, envelope: sign(s1, bReg.kid, bKey.privateKey) }), code('signature_invalid', /registered/));
    // B registering A's public key gains nothing: it cannot sign, and A's model is not B's.
    await registerDeploymentKey({ organizationId: b.organization.id, actor: { type: 'user', id: b.admin.id }, input: { name: 'copy', publicKey: key.pem } });
    await assert.rejects(
      acknowledgeDeployment({ organizationId: b.organization.id, actor: p.actor, modelId: p.model.id, version: 1, envelope: env1 }),
      code('not_found'),
    );

    const ack = await acknowledgeDeployment({ ...at, version: 1, envelope: env1 });
    assert.deepEqual(ack.certificateIds, [p.c1]);
    assert.equal(ack.key.kid, reg.kid);
    const again = await acknowledgeDeployment({ ...at, version: 1, envelope: env1 });
    assert.equal(again.id, ack.id, 'the same statement is recorded once');
    const db = await getDb();
    assert.equal((await db.select().from(deploymentAcknowledgements).where(eq(deploymentAcknowledgements.modelId, p.model.id))).length, 1);
    const [v1] = await db.select().from(modelVersions).where(eq(modelVersions.id, p.v1.id));
    assert.equal(v1.deployedAt?.toISOString(), ack.acknowledgedAt);
    const events = await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, p.organizationId));
    assert.deepEqual(
      events.filter((e) => e.type === 'certificate.deployment_acknowledged').map((e) => e.data.certificateIds),
      [[p.c1]],
    );
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'model_version.deployment_acknowledged'));
    assert.ok(audit.some((e) => e.subjectId === p.v1.id));

    // c1 now verifies as deployed, signed; c2 (version 2) does not yet.
    const after1 = await verifyOnline(p.c1);
    assert.ok(after1.ok);
    assert.equal(after1.deployments?.[0].status, 'signed');
    assert.equal(after1.deployments?.[0].version, 1);
    assert.equal(after1.deployments?.[0].acknowledgedAt, ack.acknowledgedAt);
    assert.equal((await verifyOnline(p.c2)).deployments?.[0].status, 'not_acknowledged');

    // The published evidence, tampered with, is caught by the verifier (the certificate itself stays genuine).
    const evidence = await deploymentEvidence(p.c1);
    const bundle = JSON.parse(JSON.stringify(await getBundle(p.c1)));
    const predicate = verifyBundle(bundle, (await getJwks()) as { keys: Jwk[] }).predicate!;
    const tampered = { ...evidence, acknowledgements: evidence.acknowledgements.map((a) => ({ ...a, envelope: altered })) };
    assert.equal(deploymentFindings(predicate, tampered)[0].status, 'invalid');
    const otherKey = { ...evidence, acknowledgements: evidence.acknowledgements.map((a) => ({ ...a, key: { ...a.key, organizationId: b.organization.id } })) };
    assert.match(deploymentFindings(predicate, otherKey)[0].detail, /another organisation/);
    assert.deepEqual((await deploymentEvidence(crypto.randomUUID())).acknowledgements, [], 'an unknown id gets an empty answer, not a 404');

    // Version 2 serves c2 only; after it, acknowledging version 1 again would be a rollback.
    const s2 = await deploymentStatementFor(p.organizationId, p.model.id, 2);
    assert.deepEqual(s2.statement.predicate.certificateIds, [p.c2]);
    await acknowledgeDeployment({ ...at, version: 2, envelope: sign(s2, reg.kid, key.privateKey) });
    assert.equal((await verifyOnline(p.c2)).deployments?.[0].status, 'signed');
    const late = await deploymentStatementFor(p.organizationId, p.model.id, 1);
    assert.deepEqual(late.statement.predicate.certificateIds, []);
    await assert.rejects(acknowledgeDeployment({ ...at, version: 1, envelope: sign(late, reg.kid, key.privateKey) }), code('conflict', /older/));
    // A statement naming a certificate an earlier acknowledgement named is stale.
    const stale = statementToSign(deploymentStatement({ ...s2.statement.predicate, weightsSha256: p.v2.weightsSha256, certificateIds: [p.c1, p.c2] }));
    await assert.rejects(
      acknowledgeDeployment({ ...at, version: 2, envelope: sign(stale, reg.kid, key.privateKey) }),
      code('conflict', /Fetch the statement again/),
    );

    // A revoked key signs nothing new; what it signed stays valid.
    await revokeDeploymentKey({ ...at, keyId: reg.id });
    const s2again = await deploymentStatementFor(p.organizationId, p.model.id, 2);
    await assert.rejects(acknowledgeDeployment({ ...at, version: 2, envelope: sign(s2again, reg.kid, key.privateKey) }), code('signature_invalid', /revoked/));
    assert.equal((await verifyOnline(p.c1)).deployments?.[0].status, 'signed');
  });
});
