import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, embeddingModels, itemFeatures } from '@/db/schema';
import type { Samples } from '@/lib/unlearning/dataset';
import { decodeVectorInto } from './vector-bytes';

/** Where a model's features come from: forgetme's own face descriptors, or a partner's registered embedding model. */
export type FeatureSource = { kind: 'faces' } | { kind: 'partner'; embeddingModelId: string; dimension: number };

type Row = { itemId: string; label: string; vector: Buffer };

function samplesOf(rows: Row[], d: number): Samples {
  const x = new Float64Array(rows.length * d);
  rows.forEach((r, i) => decodeVectorInto(r.vector, x, i * d));
  return { ids: rows.map((r) => r.itemId), labels: rows.map((r) => r.label), x, d };
}

const live = (datasetId: string) => and(eq(datasetItems.datasetId, datasetId), eq(datasetItems.status, 'embedded'), isNull(datasetItems.removedAt));
const joined = (embeddingModelId: string) => and(eq(itemFeatures.itemId, datasetItems.id), eq(itemFeatures.embeddingModelId, embeddingModelId));

/**
 * A dataset's live items as samples of the partner's vectors, by item id: the items forgetme
 * embedded (so the matcher can find in them whom it removes) that have a vector. Model creation
 * refuses a dataset where any of them lacks one (feature-coverage.ts).
 */
export async function partnerSamples(datasetId: string, source: { embeddingModelId: string; dimension: number }): Promise<Samples> {
  const db = await getDb();
  const rows = await db
    .select({ itemId: datasetItems.id, label: datasetItems.label, vector: itemFeatures.vector })
    .from(datasetItems)
    .innerJoin(itemFeatures, joined(source.embeddingModelId))
    .where(live(datasetId))
    .orderBy(asc(datasetItems.id));
  return samplesOf(rows, source.dimension);
}

/** The held-out partner samples alone, chosen in the database by `heldOut` (training-data.ts), as holdoutData() does for faces. */
export async function partnerHoldout(datasetId: string, source: { embeddingModelId: string; dimension: number }, heldOut: (itemId: SQL) => SQL) {
  const db = await getDb();
  const counted = db
    .select({
      itemId: sql<string>`${datasetItems.id}`.as('held_item'),
      label: sql<string>`${datasetItems.label}`.as('held_label'),
      n: sql<number>`count(*) over (partition by ${datasetItems.label})`.as('held_n'),
    })
    .from(datasetItems)
    .innerJoin(itemFeatures, joined(source.embeddingModelId))
    .where(live(datasetId))
    .as('counted');
  const rows = await db
    .select({ itemId: counted.itemId, label: counted.label, vector: itemFeatures.vector })
    .from(counted)
    .innerJoin(itemFeatures, and(eq(itemFeatures.itemId, counted.itemId), eq(itemFeatures.embeddingModelId, source.embeddingModelId)))
    .where(and(sql`${counted.n} >= 3`, heldOut(sql`${counted.itemId}`)))
    .orderBy(asc(counted.itemId));
  return samplesOf(rows, source.dimension);
}

/** These items' partner vectors (removed items keep theirs, as their images stay with the partner's data). */
export async function partnerVectorsOf(itemIds: string[], source: { embeddingModelId: string; dimension: number }): Promise<Samples> {
  const db = await getDb();
  const rows = await db
    .select({ itemId: datasetItems.id, label: datasetItems.label, vector: itemFeatures.vector })
    .from(itemFeatures)
    .innerJoin(datasetItems, eq(datasetItems.id, itemFeatures.itemId))
    .where(and(eq(itemFeatures.embeddingModelId, source.embeddingModelId), inArray(itemFeatures.itemId, itemIds)))
    .orderBy(asc(datasetItems.id));
  return samplesOf(rows, source.dimension);
}

/** A model's feature source: its embedding model's id and dimension, or forgetme's descriptors. */
export async function featureSourceOf(model: { embeddingModelId: string | null }): Promise<FeatureSource> {
  if (!model.embeddingModelId) return { kind: 'faces' };
  const db = await getDb();
  const [m] = await db.select({ dimension: embeddingModels.dimension }).from(embeddingModels).where(eq(embeddingModels.id, model.embeddingModelId));
  return { kind: 'partner', embeddingModelId: model.embeddingModelId, dimension: m.dimension };
}
