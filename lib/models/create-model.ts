import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { datasetItems, models } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { requireDataset } from '@/lib/datasets/get-datasets';
import { requireEmbeddingModel } from '@/lib/embeddings/embedding-models';
import { featureCoverage, missingVectorsSentence } from '@/lib/embeddings/feature-coverage';
import { AppError } from '@/lib/errors/app-error';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import type { CreateModelInput } from './schemas';
import { trainModelJob } from './train-job';

/** The stored parameters: the public assignment seed drawn when not given; never a noise seed (the schema refuses one). */
function modelParams(input: CreateModelInput): Record<string, number> {
  const random = () => crypto.randomInt(0, 2 ** 32 - 1);
  if (input.kind === 'sisa') {
    const { seed: _refused, shardSeed, ...p } = input.params;
    return { ...p, shardSeed: shardSeed ?? random() };
  }
  const { seed: _refused, subsampleSeed, ...p } = input.params;
  return { ...p, subsampleSeed: subsampleSeed ?? random() };
}

/** Registers a model on a dataset and queues its training; the dataset must have embedded items of two identities at least. */
export async function createModel(opts: { organizationId: string; actor: Actor; input: CreateModelInput }) {
  const db = await getDb();
  const params = modelParams(opts.input);
  await prepareJobs(trainModelJob);
  const row = await db.transaction(async (tx) => {
    await requireDataset(tx, opts.organizationId, opts.input.datasetId);
    const [c] = await tx
      .select({
        pending: sql<number>`count(*) filter (where ${datasetItems.status} = 'pending')::int`,
        identities: sql<number>`count(distinct ${datasetItems.label})
          filter (where ${datasetItems.status} = 'embedded' and ${datasetItems.removedAt} is null)::int`,
      })
      .from(datasetItems)
      .where(and(eq(datasetItems.datasetId, opts.input.datasetId)));
    if (c.pending) throw new AppError('conflict', `The dataset still has ${c.pending} item(s) being embedded; train once its uploads have finished.`);
    if (c.identities < 2) throw new AppError('validation_failed', `A model needs embedded photos of at least two identities; the dataset has ${c.identities}.`);
    const embeddingModelId = opts.input.embeddingModelId ?? null;
    if (embeddingModelId) await requireVectors(tx, opts.organizationId, opts.input.datasetId, embeddingModelId);
    const [m] = await tx
      .insert(models)
      .values({ organizationId: opts.organizationId, datasetId: opts.input.datasetId, name: opts.input.name, kind: opts.input.kind, params, embeddingModelId })
      .returning();
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: {
        action: 'model.created',
        subject: { type: 'model', id: m.id },
        data: { datasetId: m.datasetId, kind: m.kind, params, ...(embeddingModelId ? { embeddingModelId } : {}) },
      },
    });
    // In the same transaction: a process killed after the commit cannot leave a model "training" with no job to train it.
    await enqueue(trainModelJob, { modelId: m.id }, { tx });
    return m;
  });
  return row;
}

/**
 * A model on a partner's vectors trains on every item forgetme embedded: each must have a vector,
 * or the model is refused with the items that lack one (none is left out silently).
 */
async function requireVectors(tx: Executor, organizationId: string, datasetId: string, embeddingModelId: string) {
  const em = await requireEmbeddingModel(tx, organizationId, embeddingModelId);
  const c = await featureCoverage(tx, datasetId, em.id);
  if (c.withoutVector) {
    const sentence = missingVectorsSentence(c, `"${em.name}" ${em.version}`);
    const details = { withoutVector: c.withoutVector, missing: c.missing.slice(0, 100) };
    throw new AppError('validation_failed', `${sentence}; import them first (forgetme partner import --features).`, details);
  }
}
