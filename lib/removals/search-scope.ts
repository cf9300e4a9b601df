import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasets, faces, organizations, type SearchScope } from '@/db/schema';

export type { SearchScope };

/**
 * What a search covers: every registered training set with faces of the embedding model, and how
 * many of its faces are still in it (removed ones are not searched). Recorded with each search, so
 * the person sees what was searched whether or not anything was found, and the registry's size at
 * that moment is on record (the expected number of strangers in each tier grows with it).
 */
export async function searchScope(tx: Executor, model: string): Promise<SearchScope> {
  const rows = await tx
    .select({ id: datasets.id, name: datasets.name, organization: organizations.name, faces: count(faces.id) })
    .from(faces)
    .innerJoin(datasets, eq(datasets.id, faces.datasetId))
    .innerJoin(organizations, eq(organizations.id, datasets.organizationId))
    .where(and(eq(faces.embeddingModel, model), sql`not ${faces.removed}`))
    .groupBy(datasets.id, datasets.name, organizations.name)
    .orderBy(asc(organizations.name), asc(datasets.name));
  return { faces: rows.reduce((s, r) => s + r.faces, 0), datasets: rows };
}
