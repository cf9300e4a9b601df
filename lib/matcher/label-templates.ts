import { and, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasetItems, faces, labelTemplates } from '@/db/schema';
import { cohortDistance, type Cohort, type ModelCohort } from './cohort';

/** Labels rewritten per statement (each label is one bound parameter). */
const CHUNK = 1000;

/**
 * Rewrites the templates of `labels` in one training set from their faces still in it: the mean
 * descriptor and the face count per embedding model; a label with no face left loses its template.
 * Run in the transaction that changed the faces (an ingest's completion, a removal), so a template
 * never describes faces that are gone. With `scale`, that model's templates are written with their
 * cohort distance; any other's with none, for the matcher to fill.
 *
 * Each template is written once and reached by key: the means are read, their cohort distances
 * computed here, and the rows upserted. The key leads with the label (0022): with the model first,
 * the stale-template delete walked every template of the set for each statement (at 300,000
 * templates, 17.8 ms against 0.06 ms for a removal's one label, EXPLAIN ANALYZE warm). Before, the
 * cohort distances were filled afterwards by re-reading the rows without one; inside the writer's
 * transaction each such read walks every earlier chunk's old row versions.
 * Items are named by training set and label (both of the label index's columns) and their faces
 * reached by item; a face's training set is its item's.
 */
export async function refreshLabelTemplates(tx: Executor, datasetId: string, labels: string[], scale?: ModelCohort): Promise<void> {
  const unique = [...new Set(labels)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const list = sql.join(
      chunk.map((l) => sql`${l}`),
      sql`, `,
    );
    await tx.execute(sql`
      delete from label_templates t
      where t.dataset_id = ${datasetId} and t.label in (${list})
        and not exists (
          select 1 from faces f join dataset_items i on i.id = f.item_id
          where i.dataset_id = t.dataset_id and f.embedding_model = t.embedding_model
            and i.label = t.label and not f.removed
        )`);
    const means = await tx
      .select({
        model: faces.embeddingModel,
        label: datasetItems.label,
        faces: sql<number>`count(*)::int`,
        template: sql<string>`avg(${faces.embedding})::text`,
      })
      .from(faces)
      .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
      .where(and(eq(datasetItems.datasetId, datasetId), inArray(datasetItems.label, chunk), eq(faces.removed, false)))
      .groupBy(faces.embeddingModel, datasetItems.label);
    if (!means.length) continue;
    const rows = means.map((m) => ({
      ...m,
      d: scale && m.model === scale.model ? cohortDistance(parseVector(m.template), scale.cohort) : null,
    }));
    await tx.execute(sql`
      insert into label_templates (dataset_id, embedding_model, label, faces, template, cohort_distance)
      select ${datasetId}, v.model, v.label, v.faces, v.template::vector, v.d
      from json_to_recordset(${JSON.stringify(rows)}::json) as v(model text, label text, faces int, template text, d real)
      on conflict (dataset_id, label, embedding_model)
      do update set faces = excluded.faces, template = excluded.template, cohort_distance = excluded.cohort_distance, updated_at = now()`);
  }
}

/** A vector's text form (`[1,2.5,...]`, pgvector's output) as numbers. */
function parseVector(text: string): number[] {
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new TypeError('not a vector');
  return v;
}

/** Rewrites every label's template of one training set (tests, benches, a repair). */
export async function refreshAllLabelTemplates(tx: Executor, datasetId: string, scale?: ModelCohort): Promise<void> {
  const rows = await tx.selectDistinct({ label: datasetItems.label }).from(datasetItems).where(eq(datasetItems.datasetId, datasetId));
  await refreshLabelTemplates(
    tx,
    datasetId,
    rows.map((r) => r.label),
    scale,
  );
}

/**
 * Fills the cohort distance of the model's templates that have none (written before the matcher had
 * a cohort, or without one); returns how many. Idempotent. For the matcher's own reads, one
 * statement each: an updated row's old version is pruned from the index by the next read that
 * passes it. Inside one transaction it would not be, and each chunk would walk every earlier
 * chunk's old versions: writers give `refreshLabelTemplates` the cohort instead.
 */
export async function fillTemplateCohortDistances(tx: Executor, model: string, cohort: Cohort): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await tx
      .select({ datasetId: labelTemplates.datasetId, label: labelTemplates.label, template: labelTemplates.template })
      .from(labelTemplates)
      .where(and(eq(labelTemplates.embeddingModel, model), isNull(labelTemplates.cohortDistance)))
      .limit(CHUNK);
    if (!rows.length) return filled;
    const values = rows.map((r) => ({ dataset_id: r.datasetId, label: r.label, d: cohortDistance(r.template, cohort) }));
    await tx.execute(sql`
      update label_templates t set cohort_distance = v.d
      from json_to_recordset(${JSON.stringify(values)}::json) as v(dataset_id uuid, label text, d real)
      where t.dataset_id = v.dataset_id and t.label = v.label and t.embedding_model = ${model}`);
    filled += rows.length;
  }
}

/** The largest cohort distance among the model's templates (bounds the template search's radius). */
export async function largestTemplateCohortDistance(tx: Executor, model: string, datasetIds?: string[]): Promise<number | null> {
  const [r] = await tx
    .select({ d: max(labelTemplates.cohortDistance) })
    .from(labelTemplates)
    .where(and(eq(labelTemplates.embeddingModel, model), datasetIds ? inArray(labelTemplates.datasetId, datasetIds) : undefined));
  return r?.d ?? null;
}
