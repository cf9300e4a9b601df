import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { datasetItems, faces, models, modelVersions, removalTasks } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { defineJob } from '@/lib/jobs/define-job';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import { failpoint } from '@/lib/jobs/failpoint';
import { log } from '@/lib/log/logger';
import { featureSourceOf, partnerVectorsOf, type FeatureSource } from '@/lib/embeddings/partner-samples';
import { storeHoldout, versionHoldout } from '@/lib/models/version-holdout';
import { renoiseModel } from '@/lib/models/renoise-model';
import { loadModelFiles, storeModelFiles, type StoredModel } from '@/lib/models/version-files';
import { keepWarm, takeWarm } from '@/lib/models/warm-models';
import { loadedOf } from '@/lib/unlearning/model-file';
import type { RemovalVersionReport } from '@/lib/models/version-report';
import { softwareVersions } from '@/lib/config/versions';
import { certifyJob } from './certify-job';
import { failModelTasks } from './fail-request';
import { MAX_TASK_ATTEMPTS, moveRequest, moveTasks } from './lifecycle';
import { releaseCommitments, releaseInputs } from './release-commitments';

import { runOverClasses } from '@/lib/unlearning/class-pool';
import type { Samples } from '@/lib/unlearning/dataset';
import { predict } from '@/lib/unlearning/predict';
import type { ReleaseCheck } from '@/lib/unlearning/release-checks';
import { removeSamples } from '@/lib/unlearning/remove';
import { removeSisa, type SisaModel } from '@/lib/unlearning/sisa';
import { photosOf, type ForgettingEvidence, type RemovedPhotos } from '@/lib/unlearning/forgetting-evidence';
import type { NewtonModel } from '@/lib/unlearning/model';
import { deliverRecorded, recordEvent } from '@/lib/webhooks/emit-event';

/** Seconds since the last lap, by stage name (the report's stageSeconds). */
function stopwatch() {
  const laps: Record<string, number> = {};
  let last = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    laps[stage] = (laps[stage] ?? 0) + (now - last) / 1000;
    last = now;
  };
  return Object.assign(lap, { all: () => ({ ...laps }) });
}

/** What the engine reports of a release, in the version report's terms. */
type Outcome = Pick<
  RemovalVersionReport,
  'method' | 'residual' | 'budget' | 'residualEstablished' | 'steps' | 'stepMatrices' | 'retrained' | 'noise' | 'removedSamples' | 'classesDropped' | 'seconds'
>;

/**
 * Removes every pending task's items from one model in a single new version (requests that wait
 * together are batched): certified removal (released only within the budget, retraining as the
 * fallback) or SISA. The new version and the tasks' completion are written in one transaction, so
 * a job killed at any point and run again makes no second version: the tasks it finished are no
 * longer pending. Items the model never trained on (held out) need no update.
 */
export async function runUnlearning(modelId: string): Promise<void> {
  const db = await getDb();
  await prepareJobs(certifyJob, unlearnJob);
  const tasks = await db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(removalTasks)
      .where(and(eq(removalTasks.modelId, modelId), inArray(removalTasks.status, ['pending', 'unlearning'])));
    // A task whose every attempt was cut short (a process killed each time) fails rather than loop.
    const spent = open.filter((t) => t.attempts >= MAX_TASK_ATTEMPTS);
    const error = { code: 'attempts_exhausted', message: `The removal was started ${MAX_TASK_ATTEMPTS} times without finishing.` };
    const failed = await moveTasks(
      tx,
      spent.map((t) => t.id),
      'failed',
      { error: spent[0]?.error ?? error },
    );
    for (const requestId of new Set(failed.map((t) => t.requestId))) await enqueue(certifyJob, { requestId }, { tx });
    const live = open.filter((t) => t.attempts < MAX_TASK_ATTEMPTS);
    const started = await moveTasks(
      tx,
      live.map((t) => t.id),
      'unlearning',
      { attempts: 'next' },
    );
    for (const requestId of new Set(started.map((t) => t.requestId))) await moveRequest(tx, requestId, 'processing', {}, ['submitted']);
    return started;
  });
  if (!tasks.length) return;
  const [model] = await db.select().from(models).where(eq(models.id, modelId));
  // No certificate may rest on noise that the partner could recompute: re-noise first.
  await renoiseModel(modelId);
  const [current] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.version)).limit(1);
  const started = performance.now();
  const lap = stopwatch();
  const source = await featureSourceOf(model);
  // The held-out samples: the version's own blob (milliseconds), or for a version stored without
  // one, a query of the dataset, read while the engine's worker threads take the class steps, or
  // after the removal when it takes none. On PGlite that query runs in this thread (about 1 s at
  // 100,000 items): started before the load it held up the load; beside the steps it shares the 2
  // cores with them, and on the whole it cost as much in either place (bench/README.md, run 11).
  let holdoutRead: Promise<Samples> | null = null;
  const readHoldout = () => {
    if (!holdoutRead) {
      holdoutRead = versionHoldout(current, model.datasetId, source);
      holdoutRead.catch(() => {}); // awaited below; a failure before then must not be an unhandled rejection
    }
    return holdoutRead;
  };
  // The model this process released last, if it is the current version; else from its blobs.
  const loaded = takeWarm(current.id) ?? (await loadModelFiles(current));
  lap('load');
  const inModel = new Set(loaded.model.ids);
  const wanted = [...new Set(tasks.flatMap((t) => t.itemIds))];
  const ids = wanted.filter((id) => inModel.has(id));
  const before = releaseInputs(loaded, current.files);
  const photos = loaded.model.kind === 'newton-certified' && ids.length ? photosOf(loaded.model, ids) : null;
  lap('prepare');

  let head = loaded.model;
  let budgetUsed = current.budgetUsed;
  let outcome: Outcome | null = null;
  let store: (() => Promise<StoredModel>) | null = null;
  if (ids.length) {
    if (loaded.model.kind === 'sisa') {
      const r = removeSisa(loaded.model, ids);
      head = r.model;
      store = () => storeModelFiles(r.model, { parentSha256: current.weightsSha256 });
      const { removedSamples, classesDropped, seconds } = r.report;
      const exact = { residual: null, budget: null, residualEstablished: 'exact', steps: 0, retrained: false, noise: 'none' } as const;
      outcome = { method: 'sisa', ...exact, removedSamples, classesDropped, seconds: { total: seconds } };
    } else {
      const r = await removeSamples(loaded.model, ids, { consume: true, onStepsStarted: () => void readHoldout() });
      head = r.model;
      const { method, residual, budget, steps, stepMatrices, retrained, noise, removedSamples, classesDropped, seconds } = r.report;
      budgetUsed = residual / budget;
      store = () => storeModelFiles(r.model, { parentSha256: current.weightsSha256, residual, budget });
      outcome = { method, residual, budget, residualEstablished: 'computed', steps, stepMatrices, retrained, noise, removedSamples, classesDropped, seconds };
    }
  }
  lap('remove');
  const holdout = await readHoldout();
  lap('holdout');
  // Storing the release (this thread: digests, sealing, writes) beside its checks (worker threads).
  const [next, checked, holdoutSha256] = await Promise.all([
    store?.() ?? null,
    store ? checkRelease(head, holdout, photos, tasks) : null,
    store ? storeHoldout(holdout) : null,
  ]);
  lap('store and checks');
  const acc = checked?.accuracy ?? current.accuracy;
  const identity = ids.length ? await removedIdentityRate(head, ids, source) : null;
  lap('identity');
  const evidence = Object.fromEntries(tasks.map((t) => [t.id, checked?.evidence.get(t.id) ?? null]));
  const commitments = next ? releaseCommitments(before, releaseInputs({ model: head, json: next.json }, next.files), ids) : null;
  lap('commitments');
  const report: RemovalVersionReport | null =
    next && outcome && commitments
      ? {
          schema: 2,
          kind: 'removal',
          ...outcome,
          engine: `forgetme-unlearning ${softwareVersions().forgetme}`,
          params: { ...head.params },
          taskIds: tasks.map((t) => t.id),
          itemsRequested: wanted.length,
          accuracyBefore: current.accuracy,
          accuracyAfter: acc,
          identityTest: identity,
          evidence,
          commitments,
          wallSeconds: (performance.now() - started) / 1000,
          stageSeconds: lap.all(),
        }
      : null;

  failpoint('unlearn.before-release');
  const released = await db.transaction(async (tx) => {
    const taskIds = tasks.map((t) => t.id);
    const still = await tx
      .select({ id: removalTasks.id })
      .from(removalTasks)
      .where(and(inArray(removalTasks.id, taskIds), eq(removalTasks.status, 'unlearning')))
      .for('update');
    if (still.length !== tasks.length) return null; // another run finished them
    let toId = current.id;
    let version = current.version;
    if (next && report) {
      const reason = report?.retrained ? 'retrain' : 'removal';
      const [v] = await tx
        .insert(modelVersions)
        .values({
          modelId,
          version: current.version + 1,
          parentId: current.id,
          reason,
          noiseSource: head.kind === 'sisa' ? 'none' : head.noiseSource,
          files: next.files,
          weightsSha256: next.weightsSha256,
          classes: head.classes.length,
          samples: head.ids.length,
          accuracy: acc,
          budgetUsed,
          report,
          holdoutSha256,
        })
        .returning();
      toId = v.id;
      version = v.version;
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        organizationId: model.organizationId,
        event: { action: 'model.version_released', subject: { type: 'model_version', id: v.id }, data: { modelId, version: v.version, reason } },
      });
    }
    await moveTasks(
      tx,
      tasks.map((t) => t.id),
      'certified',
      { fromVersionId: current.id, toVersionId: toId, error: null },
    );
    const requestIds = [...new Set(tasks.map((t) => t.requestId))];
    let deliveryIds: string[] = [];
    if (next) {
      const data = { modelId, versionId: toId, version, reason: report?.retrained ? 'retrain' : 'removal', requestIds };
      deliveryIds = (await recordEvent(tx, { organizationId: model.organizationId, type: 'model.version_created', data })).deliveryIds;
    }
    for (const requestId of requestIds) await enqueue(certifyJob, { requestId }, { tx });
    // Tasks that arrived while this ran are picked up by the next run.
    const pending = and(eq(removalTasks.modelId, modelId), eq(removalTasks.status, 'pending'));
    const [more] = await tx.select({ id: removalTasks.id }).from(removalTasks).where(pending).limit(1);
    if (more) await enqueue(unlearnJob, { modelId }, { tx });
    return { version, versionId: toId, deliveryIds };
  });
  if (!released) return;
  // The release (or, when nothing was in the model, the unchanged model) stays warm for the next removal.
  keepWarm(released.versionId, next ? loadedOf(head, next.json) : loaded);
  failpoint('unlearn.after-release');
  log.info('removal released', { modelId, version: released.version, samples: ids.length, seconds: (performance.now() - started) / 1000 });
  await deliverRecorded(released.deliveryIds);
}

/**
 * The release's accuracy on the held-out items (null without any) and each task's per-person
 * evidence (null when none of its photos were in the model, or when the test cannot run: logged),
 * computed on the worker threads (lib/unlearning/release-checks.ts).
 */
async function checkRelease(head: NewtonModel | SisaModel, holdout: Samples, photos: RemovedPhotos | null, tasks: { id: string; itemIds: string[] }[]) {
  const items: ReleaseCheck[] = [
    ...(holdout.ids.length ? [{ kind: 'accuracy' } as const] : []),
    ...(head.kind === 'newton-certified' && photos ? tasks.map((t) => ({ kind: 'evidence', taskId: t.id, itemIds: t.itemIds }) as const) : []),
  ];
  // The rows cache is rebuilt where it is needed; sent, it would be copied to every thread.
  const sent = head.kind === 'newton-certified' ? { ...head, rowsCache: undefined } : head;
  const results = await runOverClasses('releaseChecks', { head: sent, holdout, photos }, items, {
    offThread: true,
  });
  let accuracy: number | null = null;
  const evidence = new Map<string, ForgettingEvidence | null>();
  for (const r of results) {
    if (r.kind === 'accuracy') accuracy = r.accuracy;
    else {
      if (r.error) log.warn('per-person evidence could not be computed', { error: r.error });
      evidence.set(r.taskId, r.evidence);
    }
  }
  return { accuracy, evidence };
}

/** How often the new head still names the removed photos' own identity (0 when forgotten), on the features the head was trained on. */
async function removedIdentityRate(head: Parameters<typeof predict>[0], itemIds: string[], source: FeatureSource): Promise<number> {
  if (source.kind === 'partner') {
    const removed = await partnerVectorsOf(itemIds, source);
    if (!removed.ids.length) return 0;
    return predict(head, removed).filter((p, i) => p.label === removed.labels[i]).length / removed.ids.length;
  }
  const db = await getDb();
  const rows = await db
    .selectDistinctOn([faces.itemId], { itemId: faces.itemId, label: datasetItems.label, embedding: faces.embedding })
    .from(faces)
    .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
    .where(inArray(faces.itemId, itemIds))
    .orderBy(faces.itemId, desc(faces.score));
  if (!rows.length) return 0;
  const x = new Float64Array(rows.length * 128);
  rows.forEach((r, i) => x.set(r.embedding, i * 128));
  const preds = predict(head, { ids: rows.map((r) => r.itemId), labels: rows.map((r) => r.label), x, d: 128 });
  return preds.filter((p, i) => p.label === rows[i].label).length / rows.length;
}

export const unlearnJob = defineJob({
  id: 'removals.unlearn',
  version: 1,
  schema: z.object({ modelId: z.uuid() }),
  key: (p) => `removals.unlearn:${p.modelId}`,
  policy: 'stately',
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 20,
  handler: async (p) => runUnlearning(p.modelId),
  onExhausted: async (p, error) => failModelTasks(p.modelId, error),
});
