import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasetItems, datasets } from '@/db/schema';

/**
 * Which of these images (sha256 of their bytes) a removal request removed from one of the
 * organisation's datasets, with the item and set they were removed from. Only the organisation's
 * own sets are consulted: another partner's upload of the same picture must not learn that someone
 * asked for it to be removed elsewhere. Exact bytes only: a re-encoded copy is a new image to this
 * check, and only a new search by the person finds it.
 */
export async function removedImages(db: Executor, organizationId: string, shas: string[]): Promise<Map<string, { externalId: string; dataset: string }>> {
  const out = new Map<string, { externalId: string; dataset: string }>();
  const unique = [...new Set(shas)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .select({ sha256: datasetItems.sha256, externalId: datasetItems.externalId, dataset: datasets.name })
      .from(datasetItems)
      .innerJoin(datasets, eq(datasets.id, datasetItems.datasetId))
      .where(and(eq(datasets.organizationId, organizationId), inArray(datasetItems.sha256, unique.slice(i, i + 1000)), isNotNull(datasetItems.removedAt)));
    for (const r of rows) out.set(r.sha256, { externalId: r.externalId, dataset: r.dataset });
  }
  return out;
}
