import { env } from '@/lib/config/env';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { models, modelVersions } from '@/db/schema';
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
import { storeModelFiles, type StoredModel } from './version-files';
import { keepWarm } from './warm-models';
import { loadedOf } from '@/lib/unlearning/model-file';
import type { TrainedReport } from './version-report';

/**
 * Trains a model's first version on its dataset's live items with lib/unlearning, evaluates it on
 * the held-out items, stores its files, and sends `model.trained`. Idempotent: a model that has a
 * version 1 is done; a failure that retrying cannot fix (too few identities, bad parameters) marks
 * the model failed with the reason.
 */
export async function runTraining(modelId: string): Promise<void> {
  const db = await getDb();
  const [model] = await db.select().from(models).where(eq(models.id, modelId));
  if (!model) throw new Error(`model ${modelId} does not exist`);
  const [existing] = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, 1)));
  if (existing || model.status !== 'training') return;
  const setProgress = (progress: number) => db.update(models).set({ progress }).where(eq(models.id, modelId));

  const source = await featureSourceOf(model);
  if (source.kind === 'partner') {
    // Items may have arrived since the model was created: none trains without its vector, and none is left out unsaid.
    const c = await featureCoverage(db, model.datasetId, source.embeddingModelId);
    if (c.withoutVector) {
      const message = `${missingVectorsSentence(c, "the model's embedding model")}; import them and create the model again.`;
      await failTraining(modelId, { code: 'missing_features', message });
      return;
    }
  }
  const { train, holdout } = await trainingData(model.datasetId, source);
  await setProgress(0.1);
  const started = performance.now();
  let stored: StoredModel;
  let report: Omit<TrainedReport, 'holdout'>;
  let head;
  try {
    if (model.kind === 'sisa') {
      const p = model.params as { shards: number; slices: number; lambda: number; shardSeed: number };
      head = trainSisa(train, centreFor(source), p);
      await setProgress(0.8);
      stored = await storeModelFiles(head, { parentSha256: null });
      const seconds = (performance.now() - started) / 1000;
      report = { schema: 2, kind: 'trained', method: 'sisa', seconds, classes: head.classes.length, samples: head.ids.length, residual: null, budget: null };
    } else {
      const t = await trainNewton(train, centreFor(source), model.params, { stepMatrixBudgetBytes: env().stepMatrixBudgetBytes });
      head = t.model;
      await setProgress(0.8);
      stored = await storeModelFiles(t.model, { parentSha256: null, residual: t.report.residual, budget: removalBudget(t.model.params) });
      const { seconds, classes, samples, residual, budget, stepMatrices } = t.report;
      report = { schema: 2, kind: 'trained', method: 'newton-certified', seconds, classes, samples, residual, budget, stepMatrices };
    }
  } catch (err) {
    if (!(err instanceof UnlearningError)) throw err;
    await failTraining(modelId, { code: err.code, message: err.message });
    log.warn('model training failed', { modelId, code: err.code, message: err.message });
    return;
  }
  const acc = holdout.ids.length ? accuracy(head, holdout).accuracy : null;
  failpoint('train.before-release');
  const version = await db.transaction(async (tx) => {
    const [v] = await tx
      .insert(modelVersions)
      .values({
        modelId,
        version: 1,
        reason: 'trained',
        noiseSource: head.kind === 'sisa' ? 'none' : head.noiseSource,
        files: stored.files,
        weightsSha256: stored.weightsSha256,
        classes: head.classes.length,
        samples: head.ids.length,
        accuracy: acc,
        budgetUsed: 0,
        report: { ...report, holdout: holdout.ids.length },
      })
      .onConflictDoNothing()
      .returning();
    if (!v) return null;
    await tx.update(models).set({ status: 'ready', progress: 1 }).where(eq(models.id, modelId));
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      organizationId: model.organizationId,
      event: { action: 'model.version_released', subject: { type: 'model_version', id: v.id }, data: { modelId, version: 1, reason: 'trained' } },
    });
    return v;
  });
  if (version) keepWarm(version.id, loadedOf(head, stored.json));
  if (version)
    await emitEvent({ organizationId: model.organizationId, type: 'model.trained', data: { modelId, versionId: version.id, version: 1, accuracy: acc } });
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

/** A model whose training cannot finish: failed, with the error the partner sees, and audited. Only a model still training moves. */
export async function failTraining(modelId: string, error: { code: string; message: string }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [m] = await tx
      .update(models)
      .set({ status: 'failed', error })
      .where(and(eq(models.id, modelId), eq(models.status, 'training')))
      .returning();
    if (!m) return;
    const event = { action: 'model.training_failed', subject: { type: 'model', id: modelId }, data: { code: error.code } } as const;
    await recordAuditEvent(tx, { actor: { type: 'system' }, organizationId: m.organizationId, event });
  });
}
