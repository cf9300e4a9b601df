import type { Executor } from '@/db/client';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { calibratedCohort, calibration, labelCalibration, thresholdsForRegistry } from '@/lib/matcher/calibration';
import { findMatches, type DatasetMatches } from '@/lib/matcher/find-matches';
import { searchProbes } from '@/lib/matcher/reference-groups';
import type { Thresholds } from '@/lib/matcher/registry-thresholds';
import { searchScope, type SearchScope } from './search-scope';

/**
 * One person's search with the product's settings: the thresholds for the whole registry's size
 * (even when only `datasetIds` are searched: the stricter choice), per photo and per label.
 * References that disagree are searched as separate groups (reference-groups.ts); every group
 * compares the person with every face and label again, so the thresholds are those of a registry
 * that many times larger, and the expected strangers stay within their budget per request.
 * Returns what was found and the scope to record, thresholds and groups included. `scope`, when
 * given, is the registry counted once for several searches (counting reads every face row).
 */
export async function searchForPerson(
  tx: Executor,
  references: number[][],
  opts: { datasetIds?: string[]; scope?: RegistryScope } = {},
): Promise<{ found: DatasetMatches[]; scope: SearchScope }> {
  const scope = opts.scope ?? (await registryScope(tx));
  const datasetIds = opts.datasetIds;
  const cal = calibration();
  const cohort = calibratedCohort();
  const { groups, probes } = searchProbes(references, { aggregation: cal.aggregation, agree: cal.referencesAgree, cohort });
  const thresholds = thresholdsForRegistry({ faces: scope.faces * probes.length, labels: scope.labels * groups.length });
  const labelCal = labelCalibration();
  const found = await findMatches({
    references,
    model: EMBEDDING_MODEL,
    tiers: thresholds.photo,
    aggregation: cal.aggregation,
    cohort,
    datasetIds,
    groups,
    labels: { thresholds, shareDistance: labelCal.shareDistance, minShare: labelCal.minShare },
  });
  return {
    found,
    scope: { ...scope, references: { photos: references.length, groups: groups.length }, thresholds: { calibrated: labelCal.date, ...recorded(thresholds) } },
  };
}

export type RegistryScope = Awaited<ReturnType<typeof searchScope>>;

/** The registry as the product's searches count it. */
export function registryScope(tx: Executor): Promise<RegistryScope> {
  return searchScope(tx, EMBEDDING_MODEL);
}

/** What a search records of its thresholds (rounded: they are read by people and auditors). */
function recorded(t: Thresholds): Omit<NonNullable<SearchScope['thresholds']>, 'calibrated'> {
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    photo: { shown: r(t.photo.shown), possible: r(t.photo.possible) },
    label: t.label.map((l) => ({ size: l.size, shown: r(l.shown), possible: r(l.possible) })),
    expectedStrangers: { shown: Number(t.expectedStrangers.shown.toPrecision(2)), possible: Number(t.expectedStrangers.possible.toPrecision(2)) },
    strangersCounted: 'photos',
    largeLabel: { ...t.largeLabel },
    extrapolated: t.extrapolated,
  };
}
