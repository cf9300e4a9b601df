import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, certificates, datasetItems, models, modelVersions, removalRequests, removalTasks } from '@/db/schema';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { runCertify } from '@/lib/removals/certify-job';
import { AWAITING_RELEASE_FAIL_MS, DEADLINES } from '@/lib/removals/lifecycle';
import { retryRequest } from '@/lib/removals/retry-request';
import { sweepRequests } from '@/lib/removals/sweep-requests';
import { runUnlearning } from '@/lib/removals/unlearn-job';
import { getBundle } from '@/lib/certificates/get-bundle';
import { verdictOf } from '@/lib/certificates/verdict';
import { verifyBundle, type Jwk } from '@/lib/certificates/verify-bundle';
import { getJwks } from '@/lib/crypto/get-jwks';
import { PEOPLE, partnerTrainingSet, submitRemovalOf } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { exactResidual } from '@/lib/unlearning/exact-residual';
import { removalBudget } from '@/lib/unlearning/budget';
import { createModel } from './create-model';
import { failTraining, fitFirstVersion, releaseFirstVersion } from './train-job';
import { GIVE_UP_HOURS } from './training-sweep';
import { loadModelFiles } from './version-files';
import { trainedReportSchema } from './version-report';

setUpTestEnvironment();
after(() => closeThreadPool());

const params = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 3 };

async function trainingModel(people = PEOPLE) {
  const { org, actor, ds } = await partnerTrainingSet(people);
  const model = await createModel({ organizationId: org.organization.id, actor, input: { name: 'Head', datasetId: ds.id, kind: 'newton-certified', params } });
  return { org, ds, model };
}

async function firstVersion(modelId: string) {
  const db = await getDb();
  const [v] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId));
  return { row: v, report: trainedReportSchema.parse(v.report), loaded: await loadModelFiles(v) };
}

async function requestStatus(requestId: string) {
  const db = await getDb();
  return (await db.select({ status: removalRequests.status }).from(removalRequests).where(eq(removalRequests.id, requestId)))[0].status;
}

/** The request's one certificate, verified as a person's verifier would (the published keys). */
async function verifiedCertificate(requestId: string) {
  const db = await getDb();
  const certs = await db.select().from(certificates).where(eq(certificates.requestId, requestId));
  assert.equal(certs.length, 1);
  const v = verifyBundle(JSON.parse(JSON.stringify(await getBundle(certs[0].id))), (await getJwks()) as { keys: Jwk[] });
  assert.ok(v.ok, JSON.stringify(v.checks));
  return v;
}

describeEachDriver('a removal submitted while a model trains', ({ driver, handle }) => {
  test("the person's photos are not in the version released after their request", async () => {
    const { model } = await trainingModel();
    // Training read the live items (the person's among them) and fitted the head...
    const fitted = await fitFirstVersion(model.id);
    assert.ok(fitted);
    // ...when the person's request was submitted: the model was not ready, so its task waits for the release.
    const { req, submitted } = await submitRemovalOf('Abdullah_Gul');
    assert.equal(submitted.models, 1);
    const db = await getDb();
    const tasksOf = () => db.select().from(removalTasks).where(eq(removalTasks.requestId, req.id));
    assert.deepEqual(
      (await tasksOf()).map((t) => t.status),
      ['awaiting_release'],
    );
    // The request waits for it: certification does nothing while the task is open.
    await runCertify(req.id);
    assert.equal(await requestStatus(req.id), 'submitted');
    const removed = (await db.select({ id: datasetItems.id, removedAt: datasetItems.removedAt }).from(datasetItems)).filter((i) => i.removedAt);
    const removedIds = new Set(removed.map((r) => r.id));
    const trainedOnThem = fitted.trained.head.ids.filter((id) => removedIds.has(id));
    // About 1 in 10 photos is held out (by a hash of its random id): all 5 of them with a chance of 1e-5.
    assert.ok(trainedOnThem.length >= 1, `the fitted head trained on ${trainedOnThem.length} of the removed photos`);

    await releaseFirstVersion(fitted);
    const { row, report, loaded } = await firstVersion(model.id);
    assert.equal(row.version, 1);
    assert.deepEqual(
      loaded.model.ids.filter((id) => removedIds.has(id)),
      [],
      'the released version holds none of the removed items',
    );
    assert.equal(report.removedBeforeRelease?.items, trainedOnThem.length);
    assert.equal(row.samples, fitted.report.samples - trainedOnThem.length);
    assert.equal(report.holdout, fitted.trained.holdout.ids.filter((id) => !removedIds.has(id)).length);
    // A certified step is released only within its budget, measured here on the released files
    // (lib/unlearning/exact-residual.ts, independent of the engine's own figure); a retraining is exact.
    if (report.removedBeforeRelease?.method === 'newton-certified' && loaded.model.kind === 'newton-certified') {
      const budget = removalBudget(loaded.model.params);
      assert.ok(exactResidual(loaded.model) <= budget, `residual ${exactResidual(loaded.model)} within ${budget}`);
      assert.ok(Math.abs(row.budgetUsed - report.residual! / budget) < 1e-12 && row.budgetUsed > 0);
    }
    assert.equal((await db.select().from(models).where(eq(models.id, model.id)))[0].status, 'ready');
    // The release completed the task with its version; the certificate names that version.
    const [task] = await tasksOf();
    assert.equal(task.status, 'certified');
    assert.equal(task.toVersionId, row.id);
    assert.equal(task.fromVersionId, null);
    assert.deepEqual(report.tasksAtRelease, { [task.id]: trainedOnThem.length });
    await runCertify(req.id);
    assert.equal(await requestStatus(req.id), 'completed');
    const v = await verifiedCertificate(req.id);
    assert.equal(v.predicate!.version, '2.5');
    assert.deepEqual(v.predicate!.models, []);
    const [first] = v.predicate!.firstReleases!;
    assert.equal(first.modelId, model.id);
    assert.equal(first.version, 1);
    assert.equal(first.weightsSha256, row.weightsSha256);
    assert.equal(first.photosTrainedOn, trainedOnThem.length);
    assert.equal(first.method, report.removedBeforeRelease?.method);
    if (first.method === 'newton-certified') assert.equal(first.guarantee.residual, report.residual);
    assert.equal(first.guarantee.budgetUsed, row.budgetUsed);
    assert.ok(first.guarantee.epsilon > 0 || first.method !== 'newton-certified');
    assert.match(verdictOf(v).summary, new RegExp(`removed ${trainedOnThem.length} photos? from 1 model`));
    // The console's filters find the certificate by the model.
    const [cert] = await db.select().from(certificates).where(eq(certificates.requestId, req.id));
    assert.deepEqual(cert.modelIds, [model.id]);
  });

  test('a request submitted before training read the set: the first release names the model, which never saw the photos', async () => {
    const { model } = await trainingModel();
    const { req } = await submitRemovalOf('Abdullah_Gul');
    const fitted = await fitFirstVersion(model.id);
    assert.ok(fitted);
    await releaseFirstVersion(fitted);
    await runCertify(req.id);
    assert.equal(await requestStatus(req.id), 'completed');
    const [first] = (await verifiedCertificate(req.id)).predicate!.firstReleases!;
    assert.equal(first.photosTrainedOn, 0);
    assert.equal(first.method, null);
    assert.equal(first.guarantee.residualEstablished, 'exact');
    assert.equal(first.guarantee.epsilon, 0);
    const { report } = await firstVersion(model.id);
    assert.equal(report.removedBeforeRelease, undefined, 'nothing was taken out: the training never read them');
  });

  test('a request that waits for a training outlives its one-day deadline, and the release certifies it', async () => {
    const { model } = await trainingModel();
    const { req } = await submitRemovalOf('Abdullah_Gul');
    const db = await getDb();
    const taskOf = async () => (await db.select().from(removalTasks).where(eq(removalTasks.requestId, req.id)))[0];
    // Ten minutes on, the sweep leaves a task waiting for a release alone (the training sweep owns the training).
    const nudged = (await db.select().from(auditEvents).where(eq(auditEvents.subjectId, req.id))).filter((e) => e.action === 'request.nudged');
    await sweepRequests(new Date(Date.now() + 15 * 60_000));
    assert.equal((await taskOf()).status, 'awaiting_release');
    assert.equal(await requestStatus(req.id), 'submitted');
    const after = (await db.select().from(auditEvents).where(eq(auditEvents.subjectId, req.id))).filter((e) => e.action === 'request.nudged');
    assert.equal(after.length, nudged.length, 'nothing is sent for a task that waits for a release');
    // Two days on (a training may live that long: four attempts of six hours and their delays), it still waits.
    assert.ok(AWAITING_RELEASE_FAIL_MS > GIVE_UP_HOURS * 3600_000 && AWAITING_RELEASE_FAIL_MS > DEADLINES.submitted.failMs!);
    await sweepRequests(new Date(Date.now() + GIVE_UP_HOURS * 3600_000));
    assert.equal(await requestStatus(req.id), 'submitted');
    assert.equal((await taskOf()).status, 'awaiting_release');
    const fitted = await fitFirstVersion(model.id);
    assert.ok(fitted);
    await releaseFirstVersion(fitted);
    await runCertify(req.id);
    assert.equal(await requestStatus(req.id), 'completed');
    assert.equal((await verifiedCertificate(req.id)).predicate!.firstReleases!.length, 1);
  });

  test('a request waiting past the longest training fails; the release leaves it so, and a retry certifies', async () => {
    const { model } = await trainingModel();
    const { req } = await submitRemovalOf('Abdullah_Gul');
    const db = await getDb();
    const taskOf = async () => (await db.select().from(removalTasks).where(eq(removalTasks.requestId, req.id)))[0];
    await sweepRequests(new Date(Date.now() + AWAITING_RELEASE_FAIL_MS + 3600_000));
    assert.equal(await requestStatus(req.id), 'failed');
    assert.equal((await taskOf()).status, 'failed');
    // The release that follows completes no failed task.
    const fitted = await fitFirstVersion(model.id);
    assert.ok(fitted);
    await releaseFirstVersion(fitted);
    assert.equal((await taskOf()).status, 'failed');
    // An operator's retry: the model is ready now, so the task starts again as a removal, which
    // finds none of the photos in version 1 (its training never read them) and is certified.
    await retryRequest(req.id, 'test-operator');
    assert.equal((await taskOf()).status, 'pending');
    await runUnlearning(model.id);
    await runCertify(req.id);
    assert.equal(await requestStatus(req.id), 'completed');
    const [m] = (await verifiedCertificate(req.id)).predicate!.models;
    assert.deepEqual([m.before.version, m.after.version, m.samplesRemoved], [1, 1, 0]);
  });

  test('a request with a task that waits for a failed model is not held: the one-day deadline applies', async () => {
    const { model } = await trainingModel();
    const { req } = await submitRemovalOf('Abdullah_Gul');
    const db = await getDb();
    // A model failed without its failure path (which drops the waiting tasks): nothing will move the task on.
    await db.update(models).set({ status: 'failed' }).where(eq(models.id, model.id));
    await sweepRequests(new Date(Date.now() + 25 * 3600_000));
    assert.equal(await requestStatus(req.id), 'failed');
  });

  test('a model whose training fails drops the waiting tasks, and the request is certified without it', async () => {
    const { model } = await trainingModel();
    const { req } = await submitRemovalOf('Abdullah_Gul');
    await failTraining(model.id, { code: 'test_failure', message: 'The test failed this training.' });
    const db = await getDb();
    assert.equal((await db.select().from(removalTasks).where(eq(removalTasks.requestId, req.id))).length, 0);
    const trail = await db.select().from(auditEvents).where(eq(auditEvents.subjectId, req.id));
    assert.ok(trail.some((e) => e.action === 'request.model_dropped'));
    await runCertify(req.id);
    assert.equal(await requestStatus(req.id), 'completed');
    const v = await verifiedCertificate(req.id);
    assert.equal(v.predicate!.firstReleases, undefined);
    assert.ok(v.predicate!.datasets[0].removedItems > 0, 'the items are still removed from the set');
  });

  // Two connections are needed to interleave a submission with the release: PostgreSQL only.
  if (driver === 'postgres')
    test('a removal committed while the release waits for the model row is seen, and the head goes round again', async () => {
      const { model } = await trainingModel(PEOPLE.slice(0, 3));
      const fitted = await fitFirstVersion(model.id);
      assert.ok(fitted);
      const item = fitted.trained.head.ids[0];
      // A submission's transaction as submit-request.ts orders it: the item removed, then the model row locked.
      const other = await handle().pool!.connect();
      try {
        await other.query('begin');
        await other.query('update dataset_items set removed_at = now() where id = $1', [item]);
        await other.query('select id from models where id = $1 for key share', [model.id]);
        const release = releaseFirstVersion(fitted);
        await new Promise((r) => setTimeout(r, 1500));
        const db = await getDb();
        assert.equal((await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id))).length, 0, 'the release waits');
        await other.query('commit');
        await release;
      } finally {
        other.release();
      }
      const { report, loaded } = await firstVersion(model.id);
      assert.ok(!loaded.model.ids.includes(item));
      assert.equal(report.removedBeforeRelease?.items, 1);
      const db = await getDb();
      const [removed] = await db
        .select()
        .from(datasetItems)
        .where(inArray(datasetItems.id, [item]));
      assert.ok(removed.removedAt);
    });
});
