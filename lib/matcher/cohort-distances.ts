import { and, eq, isNull, max, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { faces } from '@/db/schema';
import { cohortDistance, type Cohort } from './cohort';

const BATCH = 1000;

/**
 * Computes the cohort distance of the model's stored faces that have none (faces stored before the
 * matcher had a cohort: new faces get theirs at ingest). Returns how many it filled. Idempotent and
 * safe to run concurrently: it only ever writes the value the descriptor determines.
 */
export async function fillCohortDistances(db: Database, model: string, cohort: Cohort): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await db
      .select({ id: faces.id, embedding: faces.embedding })
      .from(faces)
      .where(and(eq(faces.embeddingModel, model), isNull(faces.cohortDistance), sql`not ${faces.removed}`))
      .limit(BATCH);
    if (!rows.length) return filled;
    const values = rows.map((r) => ({ id: r.id, d: cohortDistance(r.embedding, cohort) }));
    await db.execute(
      sql`update faces set cohort_distance = v.d from json_to_recordset(${JSON.stringify(values)}::json) as v(id bigint, d real) where faces.id = v.id`,
    );
    filled += rows.length;
  }
}

/**
 * The largest cohort distance among the model's faces still in a training set: the most isolated
 * face, whose normalisation shortens distances most, bounds the search radius.
 */
export async function largestCohortDistance(db: Database, model: string): Promise<number | null> {
  const [r] = await db
    .select({ d: max(faces.cohortDistance) })
    .from(faces)
    .where(and(eq(faces.embeddingModel, model), sql`not ${faces.removed}`));
  return r?.d ?? null;
}
