import crypto from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, faces } from '@/db/schema';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import type { Samples } from '@/lib/unlearning/dataset';

/** The share of items of well-represented identities kept out of training to measure accuracy. */
export const HOLDOUT = 0.1;

/** Deterministic: an item is held out by its id's hash, so every version of a model holds out the same items. */
function heldOut(itemId: string): boolean {
  return crypto.createHash('sha256').update(itemId).digest().readUInt32BE(0) / 2 ** 32 < HOLDOUT;
}

/**
 * A dataset's live (not removed, embedded) items as samples: one descriptor per item (its largest
 * face; the image's subject), the item id as sample id, the partner's label. Items of identities
 * with at least three are split into training and held-out by id; the rest all train.
 */
export async function trainingData(datasetId: string): Promise<{ train: Samples; holdout: Samples }> {
  const db = await getDb();
  const rows = await db
    .selectDistinctOn([faces.itemId], { itemId: faces.itemId, label: datasetItems.label, embedding: faces.embedding })
    .from(faces)
    .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
    .where(and(eq(faces.datasetId, datasetId), eq(faces.removed, false), isNull(datasetItems.removedAt), eq(faces.embeddingModel, EMBEDDING_MODEL)))
    .orderBy(faces.itemId, sql`${faces.box}[3] * ${faces.box}[4] desc`);
  const perLabel = new Map<string, number>();
  for (const r of rows) perLabel.set(r.label, (perLabel.get(r.label) ?? 0) + 1);
  const pick = (hold: boolean) => rows.filter((r) => (perLabel.get(r.label)! >= 3 && heldOut(r.itemId)) === hold);
  const samples = (list: typeof rows): Samples => {
    const d = 128;
    const x = new Float64Array(list.length * d);
    list.forEach((r, i) => x.set(r.embedding, i * d));
    return { ids: list.map((r) => r.itemId), labels: list.map((r) => r.label), x, d };
  };
  return { train: samples(pick(false)), holdout: samples(pick(true)) };
}
