import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, test } from 'node:test';
import { desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, emails, removalRequests, removalTasks, requestReferences, webhookEvents, type RemovalRequest } from '@/db/schema';
import { requestStatus as requestStatusEnum, taskStatus as taskStatusEnum } from '@/db/schema/removals';
import { seedIndividual } from '@/db/seed/factories';
import { hasBlob, putBlob } from '@/lib/blobs/blob-store';
import { AppError } from '@/lib/errors/app-error';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { approveIdentityByOperator, partnerWithModel, reference } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { runCertify } from './certify-job';
import { CONSENT_VERSION } from './consent';
import { failModelTasks, failRequest } from './fail-request';
import { MAX_TASK_ATTEMPTS, moveRequest, REQUEST_MOVES, TASK_MOVES, TransitionError } from './lifecycle';
import { matchJob, runMatching, startMatching } from './matching';
import { addReference } from './references';
import { retryRequest } from './retry-request';
import { getReview } from './review';
import { startRequest } from './start-request';
import { submitRequest } from './submit-request';
import { sweepRequests } from './sweep-requests';
import { runUnlearning } from './unlearn-job';

setUpTestEnvironment();
after(() => closeThreadPool());

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

/** Every state reachable from `start` through `moves`. */
function reachable<S extends string>(moves: Record<S, readonly S[]>, start: S): Set<S> {
  const seen = new Set<S>([start]);
  for (const s of seen) for (const t of moves[s]) seen.add(t);
  return seen;
}

test('every state of the schema is in the transition tables and reachable from the first', () => {
  assert.deepEqual([...reachable(REQUEST_MOVES, 'draft')].sort(), [...requestStatusEnum.enumValues].sort());
  assert.deepEqual(Object.keys(REQUEST_MOVES).sort(), [...requestStatusEnum.enumValues].sort());
  assert.deepEqual([...reachable(TASK_MOVES, 'pending')].sort(), [...taskStatusEnum.enumValues].sort());
  // Only an operator's retry leaves a failure; nothing leaves completion or withdrawal.
  assert.deepEqual(REQUEST_MOVES.completed, []);
  assert.deepEqual(REQUEST_MOVES.withdrawn, []);
  assert.deepEqual(REQUEST_MOVES.failed, ['processing']);
});

/** A request of a new person, in `status`, with one reference (a sealed-looking blob and row), last active `ageMs` ago. */
async function requestIn(status: RemovalRequest['status'], ageMs: number) {
  const db = await getDb();
  const person = await seedIndividual();
  const submitted = ['submitted', 'processing', 'completed', 'partially_failed'].includes(status) ? new Date() : null;
  const [r] = await db.insert(removalRequests).values({ userId: person.id, status, consentVersion: CONSENT_VERSION, submittedAt: submitted }).returning();
  const blob = await putBlob(crypto.randomBytes(64));
  await db.insert(requestReferences).values({ requestId: r.id, photoBlob: blob.sha256, descriptorSealed: 'x', box: [0, 0, 1, 1] });
  await db
    .update(removalRequests)
    .set({ lastActivityAt: new Date(Date.now() - ageMs) })
    .where(eq(removalRequests.id, r.id));
  return { id: r.id, blob: blob.sha256, person };
}

async function jobsFor(queue: string, key: string, value: string): Promise<number> {
  const db = await getDb();
  const rows = await db.execute(sql`select count(*)::int as n from pgboss.job where name = ${queue} and data->>${key} = ${value}`);
  return (rows as unknown as { rows: { n: number }[] }).rows[0].n;
}

/** The subject of the last e-mail queued to `to` (delivery is the mail job's, not run here). */
async function lastMailTo(to: string): Promise<string> {
  const db = await getDb();
  const [m] = await db.select({ subject: emails.subject }).from(emails).where(eq(emails.to, to)).orderBy(desc(emails.createdAt)).limit(1);
  return m?.subject ?? '';
}

describeEachDriver('the request lifecycle', () => {
  test('a job enqueued in a transaction exists only if the transaction commits', async () => {
    const db = await getDb();
    await prepareJobs(matchJob);
    const kept = crypto.randomUUID();
    const dropped = crypto.randomUUID();
    await db.transaction(async (tx) => void (await enqueue(matchJob, { requestId: kept }, { tx })));
    await assert.rejects(
      db.transaction(async (tx) => {
        await enqueue(matchJob, { requestId: dropped }, { tx });
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal(await jobsFor('removals.match.v1', 'requestId', kept), 1);
    assert.equal(await jobsFor('removals.match.v1', 'requestId', dropped), 0);
  });

  test('a move the table does not allow is refused; a move another writer made first is not repeated', async () => {
    const db = await getDb();
    const r = await requestIn('draft', 0);
    await assert.rejects(
      db.transaction((tx) => moveRequest(tx, r.id, 'completed', {}, ['draft'])),
      TransitionError,
    );
    assert.equal(await db.transaction((tx) => moveRequest(tx, r.id, 'review')), null, 'draft cannot become review');
    assert.ok(await db.transaction((tx) => moveRequest(tx, r.id, 'matching')));
    assert.equal(await db.transaction((tx) => moveRequest(tx, r.id, 'matching', {}, ['draft'])), null);
  });

  test('a search that fails for good: the request fails, the person is told, the photos are deleted, and it cannot be retried', async () => {
    const db = await getDb();
    const r = await requestIn('matching', 0);
    await failRequest(r.id, { stage: 'matching', code: 'job_failed', message: 'boom' });
    const [row] = await db.select().from(removalRequests).where(eq(removalRequests.id, r.id));
    assert.equal(row.status, 'failed');
    assert.deepEqual(row.error, { stage: 'matching', code: 'job_failed', message: 'boom' });
    assert.ok(row.purgedAt);
    assert.equal((await db.select().from(requestReferences).where(eq(requestReferences.requestId, r.id))).length, 0);
    assert.equal(await hasBlob(r.blob), false);
    assert.match(await lastMailTo(r.person.email), /failed/);
    await assert.rejects(retryRequest(r.id, 'test'), code('conflict'));
    await failRequest(r.id, { stage: 'matching', code: 'again', message: 'twice' }); // settled: left as it is
    assert.deepEqual((await db.select().from(removalRequests).where(eq(removalRequests.id, r.id)))[0].error?.code, 'job_failed');
  });

  test('a removal whose job runs out of retries fails, is told to the partner, and an operator retry completes it', async () => {
    const db = await getDb();
    const { org, model } = await partnerWithModel();
    const person = await seedIndividual();
    const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
    assert.ok((await addReference({ userId: person.id, requestId: req.id, bytes: reference('Abdullah_Gul') })).ok);
    await approveIdentityByOperator(person.id, req.id);
    await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.1' });
    await runMatching(req.id);
    const shown = (await getReview(person.id, req.id)).flatMap((g) => g.shown.map((s) => s.matchId));
    await submitRequest({ userId: person.id, requestId: req.id, input: { confirmedMatchIds: shown, includePossible: false, attest: true } });

    await failModelTasks(model.id, { code: 'job_failed', message: 'the engine crashed' });
    const [task] = await db.select().from(removalTasks).where(eq(removalTasks.requestId, req.id));
    assert.equal(task.status, 'failed');
    assert.equal(await jobsFor('removals.certify.v1', 'requestId', req.id), 1, 'the failure is settled by the certification job');
    await runCertify(req.id);
    const [failed] = await db.select().from(removalRequests).where(eq(removalRequests.id, req.id));
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.stage, 'unlearning');
    assert.ok(failed.purgedAt, 'the biometric data is deleted on failure');
    const events = await db.select().from(webhookEvents).where(eq(webhookEvents.organizationId, org.organization.id));
    const told = events.find((e) => e.type === 'removal.failed');
    assert.deepEqual(told?.data, { requestId: req.id, stage: 'unlearning', code: 'job_failed', models: [model.id] });
    assert.match(await lastMailTo(person.email), /failed/);

    assert.deepEqual(await retryRequest(req.id, 'test'), { stage: 'unlearning', tasks: 1 });
    await runUnlearning(model.id);
    await runCertify(req.id);
    const [done] = await db.select().from(removalRequests).where(eq(removalRequests.id, req.id));
    assert.equal(done.status, 'completed');
    assert.equal(done.error, null);
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.subjectId, req.id))).map((e) => e.action);
    for (const a of ['request.failed', 'request.retried', 'request.completed']) assert.ok(actions.includes(a), a);
  });

  test('a task started MAX_TASK_ATTEMPTS times without finishing fails instead of running again', async () => {
    const db = await getDb();
    const { model } = await partnerWithModel();
    const r = await requestIn('submitted', 0);
    const [t] = await db
      .insert(removalTasks)
      .values({ requestId: r.id, modelId: model.id, organizationId: model.organizationId, itemIds: [], status: 'unlearning', attempts: MAX_TASK_ATTEMPTS })
      .returning();
    await runUnlearning(model.id);
    const [after] = await db.select().from(removalTasks).where(eq(removalTasks.id, t.id));
    assert.equal(after.status, 'failed');
    assert.equal(after.error?.code, 'attempts_exhausted');
    assert.equal(await jobsFor('removals.certify.v1', 'requestId', r.id), 1);
  });

  test('the sweep walks every state: nothing waits past its deadline and no biometric data outlives its time', async () => {
    const db = await getDb();
    const MIN = 60_000;
    const DAY = 86400_000;
    const cases = {
      freshDraft: { r: await requestIn('draft', MIN), status: 'draft', kept: true },
      idleDraft: { r: await requestIn('draft', 31 * DAY), status: 'withdrawn', kept: false },
      idleReview: { r: await requestIn('review', 31 * DAY), status: 'withdrawn', kept: false },
      slowMatching: { r: await requestIn('matching', 6 * MIN), status: 'matching', kept: true },
      stuckMatching: { r: await requestIn('matching', 61 * MIN), status: 'failed', kept: false },
      stuckSubmitted: { r: await requestIn('submitted', 25 * 60 * MIN), status: 'failed', kept: false },
      stuckProcessing: { r: await requestIn('processing', 25 * 60 * MIN), status: 'failed', kept: false },
      completedNotPurged: { r: await requestIn('completed', MIN), status: 'completed', kept: false },
      withdrawnNotPurged: { r: await requestIn('withdrawn', MIN), status: 'withdrawn', kept: false },
      failedNotPurged: { r: await requestIn('failed', MIN), status: 'failed', kept: false },
      partlyNotPurged: { r: await requestIn('partially_failed', MIN), status: 'partially_failed', kept: false },
    } as const;
    const report = await sweepRequests();
    for (const [name, c] of Object.entries(cases)) {
      const [row] = await db.select().from(removalRequests).where(eq(removalRequests.id, c.r.id));
      const refs = await db.select().from(requestReferences).where(eq(requestReferences.requestId, c.r.id));
      assert.equal(row.status, c.status, `${name}: status`);
      assert.equal(refs.length > 0, c.kept, `${name}: references kept`);
      assert.equal(await hasBlob(c.r.blob), c.kept, `${name}: photo blob kept`);
      assert.equal(!!row.purgedAt, !c.kept, `${name}: purgedAt`);
    }
    assert.equal(await jobsFor('removals.match.v1', 'requestId', cases.slowMatching.r.id), 1, 'a slow search is re-queued');
    assert.ok(report.nudged >= 1 && report.failed >= 3 && report.withdrawn >= 2 && report.purged >= 6, JSON.stringify(report));
    const again = await sweepRequests();
    assert.equal(again.failed + again.withdrawn + again.purged, 0, 'a second sweep finds nothing left to do');
  });
});
