import { cohortDistance, normalisedDistance, type Cohort } from './cohort';
import type { Aggregation } from './find-matches';

/** Euclidean distance between two descriptors, in float64. */
export function l2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** What a person's references are compared by: each reference (nearest), or their mean (centroid). */
export function probesFor(references: number[][], aggregation: Aggregation): number[][] {
  if (aggregation === 'nearest') return references;
  return groupCentroids(references, [references.map((_, i) => i)]);
}

/** The centroid of each group of references (reference-groups.ts): the probes a search compares faces with. */
export function groupCentroids(references: readonly (readonly number[])[], groups: readonly (readonly number[])[]): number[][] {
  return groups.map((g) => references[g[0]].map((_, k) => g.reduce((s, i) => s + references[i][k], 0) / g.length));
}

/** A face's distance to the person: the smallest over the probes. */
export function distanceToPerson(probes: number[][], descriptor: ArrayLike<number>): number {
  return Math.min(...probes.map((p) => l2(p, descriptor)));
}

/**
 * A face's distance to the person, cohort-normalised when a cohort is given (the face's cohort
 * distance is computed when not supplied): the smallest over the probes. `probeCohort` are the
 * probes' own cohort distances, when already computed.
 */
export function personDistance(
  probes: number[][],
  cohort?: Cohort,
  probeCohort = cohort ? probes.map((p) => cohortDistance(p, cohort)) : [],
): (descriptor: ArrayLike<number>, faceCohortDistance?: number | null) => number {
  if (!cohort) return (descriptor) => distanceToPerson(probes, descriptor);
  return (descriptor, faceCohortDistance) => {
    const mine = faceCohortDistance ?? cohortDistance(descriptor, cohort);
    return Math.min(...probes.map((p, i) => normalisedDistance(l2(p, descriptor), probeCohort[i], mine, cohort.offset)));
  };
}
