import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasetItems, faces, labelTemplates } from '@/db/schema';
import { cohortDistance, normalisedDistance, searchRadius, type Cohort } from './cohort';
import type { Match } from './find-matches';
import { fillTemplateCohortDistances, largestTemplateCohortDistance } from './label-templates';
import { l2 } from './probes';
import { labelTiers, type Thresholds } from './registry-thresholds';

/**
 * Identity-level evidence (issue 16): training sets are labelled by identity, and a label of many
 * photos says more than any one of them. A label is the person when its template (the mean of its
 * descriptors) is within the label tier's threshold for a label of its size at this registry's size
 * (registry-thresholds.ts), and at least `minShare` of its photos are within `shareDistance` of the
 * person (a lookalike among hundreds of photos matches a few of them, the person most).
 */
export type LabelDecision = { thresholds: Thresholds; shareDistance: number; minShare: number };

/** A label taken as the person: its size, the template's distance, the share of its photos that match, and its tier. */
export type LabelMatch = { label: string; faces: number; distance: number; share: number; tier: 'shown' | 'possible' };

export type LabelFindings = { datasetId: string; label: LabelMatch; photos: (Match & { tier: 'shown' | 'possible' })[] }[];

const MAX_LABELS = 5_000;

/**
 * A photo of a label of this many photos or more that is only a possible match on its own is taken
 * with its label or not at all: a lookalike's label holds several photos near the person, and a
 * mixed label a few (bench/README.md, "At registry scale"). A photo near enough to be shown is taken
 * whatever its label (a mislabelled photo of the person).
 */
export const FOLLOW_LABEL_FROM = 2;

/** Items, or label keys, per statement (each a bound parameter or two; PostgreSQL allows 65,535). */
const CHUNK = 5_000;

/** Each item's training set, label and the label's face count (items whose label has no template yet are absent). */
export async function itemLabels(db: Database, itemIds: string[], model: string): Promise<Map<string, { datasetId: string; label: string; faces: number }>> {
  const unique = [...new Set(itemIds)];
  const found = new Map<string, { datasetId: string; label: string; faces: number }>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .select({ itemId: datasetItems.id, datasetId: datasetItems.datasetId, label: datasetItems.label, faces: labelTemplates.faces })
      .from(datasetItems)
      .innerJoin(
        labelTemplates,
        and(eq(labelTemplates.datasetId, datasetItems.datasetId), eq(labelTemplates.label, datasetItems.label), eq(labelTemplates.embeddingModel, model)),
      )
      .where(inArray(datasetItems.id, unique.slice(i, i + CHUNK)));
    for (const r of rows) found.set(r.itemId, r);
  }
  return found;
}

/** A label's key: its training set and its name (a label is its training set's own). */
export type LabelKey = { datasetId: string; label: string };
export const labelKey = (datasetId: string, label: string) => JSON.stringify([datasetId, label]);
const uniqueLabels = (keys: LabelKey[]) => [...new Map(keys.map((k) => [labelKey(k.datasetId, k.label), k])).values()];

/** A template's columns as the decision reads them, with its distance to the probe (a vector literal). */
const templateColumns = (literal: string) => ({
  datasetId: labelTemplates.datasetId,
  label: labelTemplates.label,
  faces: labelTemplates.faces,
  cohortDistance: labelTemplates.cohortDistance,
  d: sql<number>`${labelTemplates.template} <-> ${literal}::vector`,
});

/** The templates of these labels (those that have one for the model), with their distance to the probe. */
export async function templatesOf(db: Database, model: string, literal: string, keys: LabelKey[], datasetIds?: string[]) {
  const wanted = datasetIds ? keys.filter((k) => datasetIds.includes(k.datasetId)) : keys;
  if (!wanted.length) return [];
  // Joined to the keys as a set (one index probe each); `(dataset, label) in (…)` planned 200 keys in 17 ms.
  const k = sql`json_to_recordset(${JSON.stringify(wanted)}::json) as k("datasetId" uuid, label text)`;
  return db
    .select(templateColumns(literal))
    .from(labelTemplates)
    .innerJoin(k, sql`${labelTemplates.datasetId} = k."datasetId" and ${labelTemplates.label} = k.label`)
    .where(eq(labelTemplates.embeddingModel, model));
}

/**
 * The labels that are the person, with their photos: a photo within `shareDistance` takes the
 * label's tier, a farther one (a bad photo, or another face in the picture) the possible tier.
 */
export async function decideLabels(
  db: Database,
  opts: { probe: number[]; model: string; decision: LabelDecision; cohort?: Cohort; datasetIds?: string[]; nearLabels?: LabelKey[] },
): Promise<LabelFindings> {
  const { probe, model, decision, cohort } = opts;
  const loosest = Math.max(...decision.thresholds.label.map((r) => r.possible));
  let probeCohort = 0;
  let radius = loosest;
  if (cohort) {
    await fillTemplateCohortDistances(db, model, cohort);
    probeCohort = cohortDistance(probe, cohort);
    radius = searchRadius(loosest, probeCohort, (await largestTemplateCohortDistance(db, model, opts.datasetIds)) ?? 0, cohort.offset);
  }
  const literal = JSON.stringify(probe);
  // Nearest templates first, in growing pages, until one lies beyond the radius: few templates are
  // inside it (the person's labels, rare lookalikes), and a small LIMIT keeps the HNSW index in use
  // (a LIMIT near the table's size lets the planner scan and sort every template).
  let near: Awaited<ReturnType<typeof templatesOf>> = [];
  for (let k = 50; ; k *= 4) {
    near = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local hnsw.ef_search = ${Math.min(1000, Math.max(100, k))}`));
      await tx.execute(sql.raw(`set local hnsw.iterative_scan = relaxed_order`));
      return tx
        .select(templateColumns(literal))
        .from(labelTemplates)
        .where(and(eq(labelTemplates.embeddingModel, model), opts.datasetIds ? inArray(labelTemplates.datasetId, opts.datasetIds) : undefined))
        .orderBy(sql`${labelTemplates.template} <-> ${literal}::vector`)
        .limit(k);
    });
    if (near.length < k || near[near.length - 1].d > radius * 1.001 || k >= MAX_LABELS) break;
  }
  // The labels of the photos the face search found nearest are decided too, whether or not the
  // template index returned them: on templates with little structure between them the index missed
  // the person's own label in 12 % of searches at 100,000 templates (bench/README.md), while the
  // faces' index, each person's photos close together, missed none of their photos.
  const have = new Set(near.map((t) => labelKey(t.datasetId, t.label)));
  const missing = uniqueLabels(opts.nearLabels ?? []).filter((l) => !have.has(labelKey(l.datasetId, l.label)));
  near.push(...(await templatesOf(db, model, literal, missing, opts.datasetIds)));
  near = near.filter((t) => t.d < radius * 1.001);
  const photoDistance = (embedding: number[], faceCohort: number | null) =>
    cohort ? normalisedDistance(l2(probe, embedding), probeCohort, faceCohort ?? cohortDistance(embedding, cohort), cohort.offset) : l2(probe, embedding);
  const found: LabelFindings = [];
  for (const t of near) {
    const distance = cohort ? normalisedDistance(t.d, probeCohort, t.cohortDistance ?? 0, cohort.offset) : t.d;
    const tiers = labelTiers(decision.thresholds, t.faces);
    if (!(distance < tiers.possible)) continue;
    const rows = await db
      .select({ id: faces.id, itemId: faces.itemId, embedding: faces.embedding, cohortDistance: faces.cohortDistance })
      .from(faces)
      .innerJoin(datasetItems, eq(datasetItems.id, faces.itemId))
      // The training set named on the items (both of the label index's columns), the faces reached
      // by item: with the label alone PostgreSQL walked the whole index (53 ms at 1 million items,
      // against 4 ms); naming the set on the faces too made PGlite, without statistics, intersect
      // every face of the set for each item (bench/README.md).
      .where(and(eq(datasetItems.datasetId, t.datasetId), eq(datasetItems.label, t.label), eq(faces.embeddingModel, model), sql`not ${faces.removed}`));
    const scored = rows.map((r) => ({ faceId: r.id, itemId: r.itemId, distance: photoDistance(r.embedding, r.cohortDistance) }));
    const share = scored.filter((s) => s.distance < decision.shareDistance).length / Math.max(1, scored.length);
    if (scored.length >= 2 && share < decision.minShare) continue;
    const tier = distance < tiers.shown ? 'shown' : 'possible';
    found.push({
      datasetId: t.datasetId,
      label: { label: t.label, faces: scored.length, distance, share, tier },
      photos: scored.map((s) => ({ ...s, tier: s.distance < decision.shareDistance ? tier : 'possible' })),
    });
  }
  return found;
}
