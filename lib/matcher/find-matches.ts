import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { faces } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { cohortDistance, searchRadius, type Cohort } from './cohort';
import { fillCohortDistances, largestCohortDistance } from './cohort-distances';
import { decideLabels, FOLLOW_LABEL_FROM, itemLabels, labelKey, type LabelDecision, type LabelMatch } from './label-decision';
import { groupCentroids, personDistance } from './probes';

export type Tiers = { shown: number; possible: number };
export type Aggregation = 'nearest' | 'centroid';
export type Match = { faceId: number; itemId: string; distance: number };
export type DatasetMatches = { datasetId: string; shown: Match[]; possible: Match[]; labels: LabelMatch[] };

const DIM = 128;
const MAX_CANDIDATES = 20_000;
/** The nearest faces per probe read first. */
const FIRST_PAGE = 200;
/** With labels, the labels of this many nearest photos per probe are decided whatever the template index returns (label-decision.ts). */
const NEAREST_PHOTOS = 20;
/** A search's descriptors: up to 5 reference photos (MAX_REFERENCES) and the live capture's face. */
export const MAX_SEARCH_DESCRIPTORS = 6;

function checkReferences(refs: number[][]): void {
  if (refs.length < 1 || refs.length > MAX_SEARCH_DESCRIPTORS)
    throw new AppError('validation_failed', `Give 1 to ${MAX_SEARCH_DESCRIPTORS} reference descriptors, not ${refs.length}.`);
  for (const r of refs) {
    if (r.length !== DIM || !r.every(Number.isFinite)) throw new AppError('validation_failed', `Each reference descriptor must be ${DIM} finite numbers.`);
  }
}

/**
 * The faces in registered training sets that are the person behind `references`: candidates from
 * the HNSW index around each reference (widened until the index has nothing left inside the
 * possible tier), re-ranked exactly (float64, aggregated over the references: the nearest one, or
 * their centroid), cut into the calibrated tiers, grouped by training set. Removed items and
 * descriptors of other embedding models are never returned. With `groups` (reference-groups.ts:
 * the references split where they disagree), the centroid is taken per group and a face's distance
 * is its distance to the nearest group's centroid; labels are decided against each group's.
 *
 * With a `cohort`, distances are cohort-normalised (see cohort.ts) and the tiers apply to those:
 * the index is searched out to the raw radius from which the most isolated stored face (the
 * largest cohort distance) could still normalise into the possible tier, so nothing is missed.
 * With `labels`, each training-set label is also decided as a whole (label-decision.ts): the photos
 * of a label taken as the person join its tier, whatever their own distance; `tiers` then decide
 * each photo on its own.
 */
export async function findMatches(opts: {
  references: number[][];
  model: string;
  tiers: Tiers;
  aggregation?: Aggregation;
  datasetIds?: string[];
  cohort?: Cohort;
  labels?: LabelDecision;
  groups?: number[][];
}): Promise<DatasetMatches[]> {
  checkReferences(opts.references);
  const n = opts.references.length;
  const groups = opts.groups ?? [opts.references.map((_, i) => i)];
  const flat = groups.flat();
  if (groups.some((g) => !g.length) || flat.length !== n || new Set(flat).size !== n || !flat.every((i) => Number.isInteger(i) && i >= 0 && i < n))
    throw new AppError('validation_failed', 'Reference groups must cover every reference exactly once.');
  if (!(opts.tiers.shown <= opts.tiers.possible)) throw new AppError('validation_failed', 'The shown tier must be stricter than the possible tier.');
  const db = await getDb();
  const aggregation = opts.aggregation ?? 'nearest';
  const centroids = groupCentroids(opts.references, groups);
  const probes = aggregation === 'centroid' ? centroids : opts.references;
  const cohort = opts.cohort;
  let probeCohort: number[] = [];
  let mostIsolated = 0;
  if (cohort) {
    await fillCohortDistances(db, opts.model, cohort);
    probeCohort = probes.map((p) => cohortDistance(p, cohort));
    mostIsolated = (await largestCohortDistance(db, opts.model)) ?? 0;
  }
  const radiusOf = (i: number) => (cohort ? searchRadius(opts.tiers.possible, probeCohort[i], mostIsolated, cohort.offset) : opts.tiers.possible);
  const candidates = new Map<number, { itemId: string; datasetId: string; embedding: number[]; cohortDistance: number | null }>();
  const nearestItems = new Set<string>();
  for (const [i, probe] of probes.entries()) {
    const radius = radiusOf(i);
    const literal = JSON.stringify(probe);
    for (let k = FIRST_PAGE; ; k *= 4) {
      const rows = await db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local hnsw.ef_search = ${Math.min(1000, Math.max(100, k))}`));
        await tx.execute(sql.raw(`set local hnsw.iterative_scan = relaxed_order`));
        return tx
          .select({
            id: faces.id,
            itemId: faces.itemId,
            datasetId: faces.datasetId,
            embedding: faces.embedding,
            cohortDistance: faces.cohortDistance,
            d: sql<number>`${faces.embedding} <-> ${literal}::vector`,
          })
          .from(faces)
          .where(and(sql`not ${faces.removed}`, eq(faces.embeddingModel, opts.model), opts.datasetIds ? inArray(faces.datasetId, opts.datasetIds) : undefined))
          .orderBy(sql`${faces.embedding} <-> ${literal}::vector`)
          .limit(k);
      });
      for (const r of rows) candidates.set(r.id, r);
      if (k === FIRST_PAGE) for (const r of rows.slice(0, NEAREST_PHOTOS)) nearestItems.add(r.itemId);
      const farthest = rows.at(-1)?.d ?? Infinity;
      // Index distances are float32: widen while the k-th neighbour could still be inside the possible tier.
      if (rows.length < k || farthest > radius * 1.001 || k >= MAX_CANDIDATES) break;
    }
  }
  const scoreOf = personDistance(probes, cohort, probeCohort);
  const byDataset = new Map<string, DatasetMatches>();
  const entryOf = (datasetId: string) => {
    const entry = byDataset.get(datasetId) ?? { datasetId, shown: [], possible: [], labels: [] };
    byDataset.set(datasetId, entry);
    return entry;
  };
  // Each face once, in the better of the tiers it reaches (per photo, or with its label).
  const tierOf = new Map<number, { datasetId: string; match: Match; tier: 'shown' | 'possible' }>();
  const offer = (datasetId: string, match: Match, tier: 'shown' | 'possible') => {
    const had = tierOf.get(match.faceId);
    if (!had || (had.tier === 'possible' && tier === 'shown')) tierOf.set(match.faceId, { datasetId, match, tier });
  };
  // Photos that are only possible matches on their own wait for their labels' decisions (below).
  const loose: { datasetId: string; match: Match }[] = [];
  for (const [faceId, c] of candidates) {
    const distance = scoreOf(c.embedding, c.cohortDistance);
    if (distance >= opts.tiers.possible) continue;
    if (distance < opts.tiers.shown) offer(c.datasetId, { faceId, itemId: c.itemId, distance }, 'shown');
    else loose.push({ datasetId: c.datasetId, match: { faceId, itemId: c.itemId, distance } });
  }
  if (!opts.labels) {
    for (const l of loose) offer(l.datasetId, l.match, 'possible');
  } else {
    // The labels of the nearest photos, and of those only possible on their own (decided below).
    const labelsOf = await itemLabels(db, [...nearestItems, ...loose.map((l) => l.match.itemId)], opts.model);
    const nearLabels = [...nearestItems].flatMap((id) => labelsOf.get(id) ?? []);
    // Each label once, as the nearest group's centroid decided it.
    const labelOf = new Map<string, { datasetId: string; label: LabelMatch }>();
    for (const probe of centroids) {
      const found = await decideLabels(db, { probe, model: opts.model, decision: opts.labels, cohort, datasetIds: opts.datasetIds, nearLabels });
      for (const f of found) {
        const key = labelKey(f.datasetId, f.label.label);
        const had = labelOf.get(key);
        if (!had || f.label.distance < had.label.distance) labelOf.set(key, { datasetId: f.datasetId, label: f.label });
        for (const p of f.photos) offer(f.datasetId, { faceId: p.faceId, itemId: p.itemId, distance: p.distance }, p.tier);
      }
    }
    for (const { datasetId, label } of labelOf.values()) entryOf(datasetId).labels.push(label);
    // Identity-level evidence outranks a photo's own: a possible match in a label of several photos
    // that was not taken is a lookalike's photo, or one photo of a mixed label (label-decision.ts).
    for (const l of loose) {
      const of = labelsOf.get(l.match.itemId);
      if (!of || of.faces < FOLLOW_LABEL_FROM || labelOf.has(labelKey(of.datasetId, of.label))) offer(l.datasetId, l.match, 'possible');
    }
  }
  for (const { datasetId, match, tier } of tierOf.values()) entryOf(datasetId)[tier].push(match);
  const result = [...byDataset.values()];
  for (const d of result) {
    d.shown.sort((a, b) => a.distance - b.distance);
    d.possible.sort((a, b) => a.distance - b.distance);
    d.labels.sort((a, b) => a.distance - b.distance);
  }
  return result.sort((a, b) => a.datasetId.localeCompare(b.datasetId));
}
