import { and, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasetItems, labelTemplates } from '@/db/schema';
import { cohortDistance, type Cohort } from './cohort';

/** Labels rewritten per statement (each label is one bound parameter). */
const CHUNK = 1000;

/**
 * Rewrites the templates of `labels` in one training set from their faces still in it: the mean
 * descriptor and the face count per embedding model; a label with no face left loses its template.
 * Run in the transaction that changed the faces (an ingest's completion, a removal), so a template
 * never describes faces that are gone. The cohort distance is cleared, for the matcher to fill.
 * Items are named by training set and label (both of the label index's columns) and their faces
 * reached by item; a face's training set is its item's.
 */
export async function refreshLabelTemplates(tx: Executor, datasetId: string, labels: string[]): Promise<void> {
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
    await tx.execute(sql`
      insert into label_templates (dataset_id, embedding_model, label, faces, template)
      select f.dataset_id, f.embedding_model, i.label, count(*)::int, avg(f.embedding)
      from faces f join dataset_items i on i.id = f.item_id
      where i.dataset_id = ${datasetId} and i.label in (${list}) and not f.removed
      group by f.dataset_id, f.embedding_model, i.label
      on conflict (dataset_id, embedding_model, label)
      do update set faces = excluded.faces, template = excluded.template, cohort_distance = null, updated_at = now()`);
  }
}

/** Rewrites every label's template of one training set (tests, benches, a repair). */
export async function refreshAllLabelTemplates(tx: Executor, datasetId: string): Promise<void> {
  const rows = await tx.selectDistinct({ label: datasetItems.label }).from(datasetItems).where(eq(datasetItems.datasetId, datasetId));
  await refreshLabelTemplates(
    tx,
    datasetId,
    rows.map((r) => r.label),
  );
}

/** Fills the cohort distance of the model's templates that have none; returns how many. Idempotent. */
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
