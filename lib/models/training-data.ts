import crypto from 'node:crypto';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, faces } from '@/db/schema';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { partnerHoldout, partnerSamples, type FeatureSource } from '@/lib/embeddings/partner-samples';
import { subset, type Samples } from '@/lib/unlearning/dataset';

/** The share of items of well-represented identities kept out of training to measure accuracy. */
export const HOLDOUT = 0.1;

/** Deterministic: an item is held out by its id's hash, so every version of a model holds out the same items. */
function heldOut(itemId: string): boolean {
  return crypto.createHash('sha256').update(itemId).digest().readUInt32BE(0) / 2 ** 32 < HOLDOUT;
}

/**
 * heldOut() in SQL: the first four bytes of SHA-256 of the id's text, big-endian, below HOLDOUT · 2³²
 * (hashed once per row: reading the four bytes with get_byte hashed four times). On PGlite,
 * without statistics as it runs, at 100,000 items (scratch timing, 2026-12-03): holdoutData
 * 2.32-2.49 s with the four hashes, 1.45-1.60 s with one.
 */
const heldOutSql = (itemId: SQL) => {
  const word = sql`('x' || left(encode(sha256(convert_to(${itemId}::text, 'UTF8')), 'hex'), 8))::bit(32)::bigint`;
  return sql`${word} < ${HOLDOUT * 2 ** 32}::float8`;
};

/** Items of identities with at least three are split into training and held-out by id; the rest all train. */
function splitHoldout(all: Samples): { train: Samples; holdout: Samples } {
  const perLabel = new Map<string, number>();
  for (const l of all.labels) perLabel.set(l, (perLabel.get(l) ?? 0) + 1);
  const held = all.ids.map((id, i) => perLabel.get(all.labels[i])! >= 3 && heldOut(id));
  return { train: subset(all, (i) => !held[i]), holdout: subset(all, (i) => held[i]) };
}

/**
 * A dataset's live (not removed, embedded) items as samples, the item id as sample id, the
 * partner's label, split into training and held-out (splitHoldout). The features: one descriptor
 * per item (its largest face; the image's subject), or the partner's own vector of each item.
 */
export async function trainingData(datasetId: string, source: FeatureSource = { kind: 'faces' }): Promise<{ train: Samples; holdout: Samples }> {
  if (source.kind === 'partner') return splitHoldout(await partnerSamples(datasetId, source));
  const db = await getDb();
  const rows = await db
    .selectDistinctOn([faces.itemId], { itemId: faces.itemId, label: datasetItems.label, embedding: faces.embedding })
    .from(faces)
    .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
    .where(live(datasetId))
    .orderBy(faces.itemId, largestFace);
  return splitHoldout(samples(rows));
}

const live = (datasetId: string) =>
  and(eq(faces.datasetId, datasetId), eq(faces.removed, false), isNull(datasetItems.removedAt), eq(faces.embeddingModel, EMBEDDING_MODEL));
const largestFace = sql`${faces.box}[3] * ${faces.box}[4] desc`;

function samples(list: { itemId: string; label: string; embedding: number[] }[]): Samples {
  const d = 128;
  const x = new Float64Array(list.length * d);
  list.forEach((r, i) => x.set(r.embedding, i * d));
  return { ids: list.map((r) => r.itemId), labels: list.map((r) => r.label), x, d };
}

/**
 * trainingData()'s held-out samples alone, chosen in the database: a removal measures accuracy on
 * them and needs nothing else, so it reads about a tenth of the descriptors (at 100,000 items,
 * 10,000 instead of 100,000 rows parsed). One pass over the dataset's faces, as trainingData() reads
 * them: PGlite keeps no statistics, and a plan that looked up each held-out item's largest face
 * by its index (0.54-0.59 s at 100,000 items after ANALYZE) intersected each lookup with a full
 * scan of the cohort-distance index without them, and did not finish in 5 minutes.
 */
export async function holdoutData(datasetId: string, source: FeatureSource = { kind: 'faces' }): Promise<Samples> {
  if (source.kind === 'partner') return partnerHoldout(datasetId, source, heldOutSql);
  const db = await getDb();
  const items = db
    .selectDistinctOn([faces.itemId], {
      itemId: sql<string>`${faces.itemId}`.as('held_item'),
      label: sql<string>`${datasetItems.label}`.as('held_label'),
      faceId: sql<number>`${faces.id}`.as('held_face'),
    })
    .from(faces)
    .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
    .where(live(datasetId))
    .orderBy(faces.itemId, largestFace)
    .as('items');
  const counted = db
    .select({ itemId: items.itemId, label: items.label, faceId: items.faceId, n: sql<number>`count(*) over (partition by ${items.label})`.as('held_n') })
    .from(items)
    .as('counted');
  // PGlite keeps no statistics, so its planner takes the faces for a handful of rows: it joined
  // each face to its item by the primary key, one lookup per face, and sorted on disk within the
  // default 4 MB. A hash join and the sort in memory (this transaction only) took the query from
  // 1.20-1.28 s to 0.71-0.88 s at 100,000 items (scratch timing, 2026-12-03); PostgreSQL with
  // statistics chooses the hash join by itself.
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_nestloop = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    return tx
      .select({ itemId: counted.itemId, label: counted.label, embedding: faces.embedding })
      .from(counted)
      .innerJoin(faces, eq(faces.id, counted.faceId))
      .where(and(sql`${counted.n} >= 3`, heldOutSql(sql`${counted.itemId}`)))
      .orderBy(counted.itemId);
  });
  return samples(rows);
}
