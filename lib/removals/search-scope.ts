import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasets, faces, labelTemplates, organizations, type SearchScope } from '@/db/schema';

export type { SearchScope };

/**
 * What a search covers: every registered training set with faces of the embedding model, and how
 * many of its faces and labels are still in it (removed ones are not searched). Recorded with each search, so
 * the person sees what was searched whether or not anything was found, and the registry's size at
 * that moment is on record (the expected number of strangers in each tier grows with it).
 */
export async function searchScope(tx: Executor, model: string): Promise<Omit<SearchScope, 'thresholds'> & { labels: number }> {
  const rows = await tx
    .select({ id: datasets.id, name: datasets.name, organization: organizations.name, faces: count(faces.id) })
    .from(faces)
    .innerJoin(datasets, eq(datasets.id, faces.datasetId))
    .innerJoin(organizations, eq(organizations.id, datasets.organizationId))
    .where(and(eq(faces.embeddingModel, model), sql`not ${faces.removed}`))
    .groupBy(datasets.id, datasets.name, organizations.name)
    .orderBy(asc(organizations.name), asc(datasets.name));
  const labelRows = await tx
    .select({ id: labelTemplates.datasetId, labels: count() })
    .from(labelTemplates)
    .where(eq(labelTemplates.embeddingModel, model))
    .groupBy(labelTemplates.datasetId);
  const labelsOf = new Map(labelRows.map((r) => [r.id, r.labels]));
  const sets = rows.map((r) => ({ ...r, labels: labelsOf.get(r.id) ?? 0 }));
  return { faces: sets.reduce((s, r) => s + r.faces, 0), labels: sets.reduce((s, r) => s + r.labels, 0), datasets: sets };
}
