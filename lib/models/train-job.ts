import { env } from '@/lib/config/env';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { models, modelVersions, type Model } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { failpoint } from '@/lib/jobs/failpoint';
import { defineJob } from '@/lib/jobs/define-job';
import { log } from '@/lib/log/logger';
import { removalBudget } from '@/lib/unlearning/budget';
import { accuracy } from '@/lib/unlearning/evaluate';
import { UnlearningError } from '@/lib/unlearning/errors';
import { trainSisa } from '@/lib/unlearning/sisa';
import { trainNewton } from '@/lib/unlearning/train';
import { emitEvent } from '@/lib/webhooks/emit-event';
import { featureCoverage, missingVectorsSentence } from '@/lib/embeddings/feature-coverage';
import { featureSourceOf } from '@/lib/embeddings/partner-samples';
import { centreFor } from './public-centre';
import { trainingData } from './training-data';
import { storeModelFiles } from './version-files';
import { storeHoldout } from './version-holdout';
import { removedItems, trainedAmong, withoutRemoved, type Trained } from './removed-while-training';
import { keepWarm } from './warm-models';
import { prepareJobs } from '@/lib/jobs/enqueue';
import { certifyJob } from '@/lib/removals/certify-job';
import { awaitingTasks, completeAwaitingTasks, dropAwaitingTasks } from '@/lib/removals/first-release-tasks';
import { loadedOf } from '@/lib/unlearning/model-file';
import type { TrainedReport } from './version-report';

/**
 * Trains a model's first version on its dataset's live items with lib/unlearning, evaluates it on
 * the held-out items, stores its files, and sends `model.trained`. Idempotent: a model that has a
 * version 1 is done; a failure that retrying cannot fix (too few identities, bad parameters) marks
 * the model failed with the reason.
 */
export async function runTraining(modelId: string): Promise<void> {
  const fitted = await fitFirstVersion(modelId);
  if (fitted) await releaseFirstVersion(fitted);
}

type Fitted = { model: Model; trained: Trained; report: Omit<TrainedReport, 'holdout' | 'removedBeforeRelease'> };

/** Fits the head on the live items (null when there is nothing to train, or the model failed). */
export async function fitFirstVersion(modelId: string): Promise<Fitted | null> {
  const db = await getDb();
  const [model] = await db.select().from(models).where(eq(models.id, modelId));
  if (!model) throw new Error(`model ${modelId} does not exist`);
  const [existing] = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, 1)));
  if (existing || model.status !== 'training') return null;
  const setProgress = (progress: number) => db.update(models).set({ progress }).where(eq(models.id, modelId));

  const source = await featureSourceOf(model);
  if (source.kind === 'partner') {
    // Items may have arrived since the model was created: none trains without its vector, and none is left out unsaid.
    const c = await featureCoverage(db, model.datasetId, source.embeddingModelId);
    if (c.withoutVector) {
      const message = `${missingVectorsSentence(c, "the model's embedding model")}; import them and create the model again.`;
      await failTraining(modelId, { code: 'missing_features', message });
      return null;
    }
  }
  const { train, holdout } = await trainingData(model.datasetId, source);
  await setProgress(0.1);
  const started = performance.now();
  return unlessUnfit(modelId, async () => {
    if (model.kind === 'sisa') {
      const p = model.params as { shards: number; slices: number; lambda: number; shardSeed: number };
      const head = trainSisa(train, centreFor(source), p);
      await setProgress(0.8);
      const seconds = (performance.now() - started) / 1000;
      const report = {
        schema: 2,
        kind: 'trained',
        method: 'sisa',
        seconds,
        classes: head.classes.length,
        samples: head.ids.length,
        residual: null,
        budget: null,
      } as const;
      return { model, trained: { head, holdout, residual: null, budgetUsed: 0, removed: null }, report };
    }
    const t = await trainNewton(train, centreFor(source), model.params, { stepMatrixBudgetBytes: env().stepMatrixBudgetBytes });
    await setProgress(0.8);
    const { seconds, classes, samples, residual, budget, stepMatrices } = t.report;
    const report = { schema: 2, kind: 'trained', method: 'newton-certified', seconds, classes, samples, residual, budget, stepMatrices } as const;
    return { model, trained: { head: t.model, holdout, residual, budgetUsed: 0, removed: null }, report };
  });
}

/** Runs a step of training; an UnlearningError (the data cannot give this model) fails the model instead. */
async function unlessUnfit<T>(modelId: string, step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof UnlearningError)) throw err;
    await failTraining(modelId, { code: err.code, message: err.message });
    log.warn('model training failed', { modelId, code: err.code, message: err.message });
    return null;
  }
}

/** Removals that land again and again between the last check and the release's lock: a retry of the job. */
const RELEASE_ROUNDS = 3;

/**
 * Releases the fitted head as version 1, without any item that a removal request took out of the
 * dataset while it trained (removed-while-training.ts): removed from the head first, then checked
 * again under the model's row lock, which a submitted request takes before it looks for ready
 * models (submit-request.ts). Either the request sees this model ready and gives it a task, or its
 * removal is committed before this check sees it and the head goes round again.
 */
export async function releaseFirstVersion(fitted: Fitted): Promise<void> {
  const { model } = fitted;
  const db = await getDb();
  let trained = fitted.trained;
  // What the training read: the requests waiting for this release learn how many of their photos it held.
  const fittedIds = new Set(fitted.trained.head.ids);
  await prepareJobs(certifyJob);
  for (let round = 1; round <= RELEASE_ROUNDS; round++) {
    const removed = await removedItems(db, model.datasetId);
    const next = await unlessUnfit(model.id, () => withoutRemoved(trained, removed));
    if (!next) return;
    trained = next;
    const { head, holdout, residual } = trained;
    const certified = head.kind === 'sisa' ? {} : { residual: residual ?? 0, budget: removalBudget(head.params) };
    const [stored, holdoutSha256] = await Promise.all([storeModelFiles(head, { parentSha256: null, ...certified }), storeHoldout(holdout)]);
    const acc = holdout.ids.length ? accuracy(head, holdout).accuracy : null;
    failpoint('train.before-release');
    const released = await db.transaction(async (tx) => {
      // The lock a submitted request waits on (or holds) before it reads which models are ready.
      await tx.select({ id: models.id }).from(models).where(eq(models.id, model.id)).for('update');
      if (trainedAmong(head, await removedItems(tx, model.datasetId)).length) return 'again' as const;
      // Requests submitted while it trained (first-release-tasks.ts); more cannot come: they wait on this row.
      const waiting = await awaitingTasks(tx, model.id, fittedIds);
      const report: TrainedReport = {
        ...fitted.report,
        classes: head.classes.length,
        samples: head.ids.length,
        residual,
        holdout: holdout.ids.length,
        ...(trained.removed ? { removedBeforeRelease: trained.removed } : {}),
        ...(waiting.length ? { tasksAtRelease: Object.fromEntries(waiting.map((w) => [w.task.id, w.trainedOn])) } : {}),
      };
      const [v] = await tx
        .insert(modelVersions)
        .values({
          modelId: model.id,
          version: 1,
          reason: 'trained',
          noiseSource: head.kind === 'sisa' ? 'none' : head.noiseSource,
          files: stored.files,
          weightsSha256: stored.weightsSha256,
          classes: head.classes.length,
          samples: head.ids.length,
          accuracy: acc,
          budgetUsed: trained.budgetUsed,
          report,
          holdoutSha256,
        })
        .onConflictDoNothing()
        .returning();
      if (!v) return null;
      await completeAwaitingTasks(tx, waiting, v.id);
      await tx.update(models).set({ status: 'ready', progress: 1 }).where(eq(models.id, model.id));
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        organizationId: model.organizationId,
        event: { action: 'model.version_released', subject: { type: 'model_version', id: v.id }, data: { modelId: model.id, version: 1, reason: 'trained' } },
      });
      return v;
    });
    if (released === 'again') continue;
    if (!released) return;
    keepWarm(released.id, loadedOf(head, stored.json));
    const data = { modelId: model.id, versionId: released.id, version: 1, accuracy: acc };
    await emitEvent({ organizationId: model.organizationId, type: 'model.trained', data });
    return;
  }
  throw new Error(`items of the dataset were removed during each of ${RELEASE_ROUNDS} attempts to release the first version`);
}

export const trainModelJob = defineJob({
  id: 'models.train',
  version: 1,
  schema: z.object({ modelId: z.uuid() }),
  key: (p) => `models.train:${p.modelId}`,
  policy: 'exclusive',
  retryLimit: 3,
  retryDelaySeconds: 30,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 30,
  handler: async (p) => runTraining(p.modelId),
  // Any other error, once the retries are over: the model fails with it instead of training for ever.
  onExhausted: async (p, error) => failTraining(p.modelId, error),
});

/**
 * A model whose training cannot finish: failed, with the error the partner sees, and audited; the
 * requests waiting for its release go on without it. Only a model still training moves.
 */
export async function failTraining(modelId: string, error: { code: string; message: string }): Promise<void> {
  const db = await getDb();
  await prepareJobs(certifyJob);
  await db.transaction(async (tx) => {
    const [m] = await tx
      .update(models)
      .set({ status: 'failed', error })
      .where(and(eq(models.id, modelId), eq(models.status, 'training')))
      .returning();
    if (!m) return;
    // Nothing will be released: requests waiting for it are certified without it.
    await dropAwaitingTasks(tx, modelId, 'training_failed');
    const event = { action: 'model.training_failed', subject: { type: 'model', id: modelId }, data: { code: error.code } } as const;
    await recordAuditEvent(tx, { actor: { type: 'system' }, organizationId: m.organizationId, event });
  });
}
