import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { datasetItems, itemFeatures } from '@/db/schema';
import { requireDataset } from '@/lib/datasets/get-datasets';
import { AppError } from '@/lib/errors/app-error';
import { requireEmbeddingModel } from './embedding-models';
import type { FeatureCoverage } from './schemas';

const LISTED = 1000;

/**
 * How many of the items a model would train on have a vector from the embedding model, and which
 * do not (the first 1,000 by external id): a model on those vectors is refused until none is
 * missing, so no item is ever left out silently.
 */
export async function featureCoverage(tx: Executor, datasetId: string, embeddingModelId: string): Promise<FeatureCoverage> {
  const join = and(eq(itemFeatures.itemId, datasetItems.id), eq(itemFeatures.embeddingModelId, embeddingModelId));
  const live = and(eq(datasetItems.datasetId, datasetId), eq(datasetItems.status, 'embedded'), isNull(datasetItems.removedAt));
  const [counts] = await tx
    .select({ items: sql<number>`count(*)::int`, withVector: sql<number>`count(${itemFeatures.itemId})::int` })
    .from(datasetItems)
    .leftJoin(itemFeatures, join)
    .where(live);
  const missing = await tx
    .select({ externalId: datasetItems.externalId, label: datasetItems.label })
    .from(datasetItems)
    .leftJoin(itemFeatures, join)
    .where(and(live, isNull(itemFeatures.itemId)))
    .orderBy(asc(datasetItems.externalId))
    .limit(LISTED);
  return { embeddingModelId, items: counts.items, withVector: counts.withVector, withoutVector: counts.items - counts.withVector, missing };
}

/** featureCoverage() for the API: the dataset and the embedding model must both be the organisation's. */
export async function getFeatureCoverage(organizationId: string, datasetId: string, embeddingModelId: string | undefined): Promise<FeatureCoverage> {
  const db = await getDb();
  await requireDataset(db, organizationId, datasetId);
  if (!embeddingModelId) throw new AppError('validation_failed', 'Name the embedding model: ?embeddingModelId=…');
  await requireEmbeddingModel(db, organizationId, embeddingModelId);
  return featureCoverage(db, datasetId, embeddingModelId);
}

/** "3 of the dataset's 120 items have no vector from "arcface" 2 ("a", "b", "c")": the items named, five at most. */
export function missingVectorsSentence(c: FeatureCoverage, embedding: string): string {
  const named = c.missing.slice(0, 5).map((m) => `"${m.externalId}"`);
  return `${c.withoutVector} of the dataset's ${c.items} items have no vector from ${embedding} (${named.join(', ')}${c.withoutVector > 5 ? ', …' : ''})`;
}
