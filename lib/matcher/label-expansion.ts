import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasetItems, faces } from '@/db/schema';
import type { DatasetMatches } from './find-matches';

/**
 * Training sets are labelled by identity. When at least `minShown` photos of one label in one
 * training set are shown matches (each at precision 0.99), that label is very likely the person;
 * its other photos whose distance is under `threshold` (the calibration's best-accuracy threshold:
 * closer than that, a pair is more likely the same person than not) join the possible tier. Never
 * across training sets: one set's label says nothing about another's.
 */
export type LabelExpansion = { minShown: number; threshold: number };

export async function expandByLabel(
  db: Database,
  opts: { model: string; expansion: LabelExpansion; result: DatasetMatches[]; distanceOf: (embedding: number[], cohortDistance: number | null) => number },
): Promise<void> {
  const shownItems = opts.result.flatMap((d) => d.shown.map((m) => m.itemId));
  if (shownItems.length < opts.expansion.minShown) return;
  const labelled = await db.select({ datasetId: datasetItems.datasetId, label: datasetItems.label }).from(datasetItems).where(inArray(datasetItems.id, shownItems));
  const shownPerLabel = new Map<string, { datasetId: string; label: string; n: number }>();
  for (const r of labelled) {
    const key = JSON.stringify([r.datasetId, r.label]);
    const entry = shownPerLabel.get(key) ?? { ...r, n: 0 };
    entry.n++;
    shownPerLabel.set(key, entry);
  }
  for (const { datasetId, label, n } of shownPerLabel.values()) {
    if (n < opts.expansion.minShown) continue;
    const entry = opts.result.find((d) => d.datasetId === datasetId)!;
    const known = new Set([...entry.shown, ...entry.possible].map((m) => m.faceId));
    const rows = await db
      .select({ id: faces.id, itemId: faces.itemId, embedding: faces.embedding, cohortDistance: faces.cohortDistance })
      .from(faces)
      .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
      .where(and(eq(faces.datasetId, datasetId), eq(datasetItems.label, label), eq(faces.embeddingModel, opts.model), sql`not ${faces.removed}`));
    for (const r of rows) {
      if (known.has(r.id)) continue;
      const distance = opts.distanceOf(r.embedding, r.cohortDistance);
      if (distance < opts.expansion.threshold) entry.possible.push({ faceId: r.id, itemId: r.itemId, distance });
    }
    entry.possible.sort((a, b) => a.distance - b.distance);
  }
}
