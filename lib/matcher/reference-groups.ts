import { cohortDistance, normalisedDistance, type Cohort } from './cohort';
import type { Aggregation } from './find-matches';
import { groupCentroids, l2 } from './probes';

/**
 * References that disagree are not averaged blindly (issue 16). A person's reference photos and live face
 * are split into groups whose every pair agrees (their distance, cohort-normalised when a cohort is
 * given, is below `agree`): the fewest groups, and among partitions with as few, the smallest sum of
 * distances within groups. Each group is then searched by its own centroid. Two photos of a face
 * taken decades apart, or one poor photo, make two groups instead of one centroid that lies between
 * two faces and is near neither. A search has at most 6 descriptors (5 photos and the live face):
 * at most 203 partitions, so every one is tried (no heuristic, the same answer for the same
 * references).
 *
 * Returns the groups as lists of reference indexes: largest first, then by first index; each list
 * ascending.
 */
export function referenceGroups(references: readonly (readonly number[])[], opts: { agree: number; cohort?: Cohort }): number[][] {
  const n = references.length;
  if (n > 8) throw new Error(`referenceGroups: at most 8 references, not ${n}`);
  const own = opts.cohort ? references.map((r) => cohortDistance(r, opts.cohort!)) : [];
  const dist = references.map((a, i) =>
    references.map((b, j) => {
      const raw = l2(a, b);
      return opts.cohort ? normalisedDistance(raw, own[i], own[j], opts.cohort.offset) : raw;
    }),
  );
  let best: { groups: number[][]; cost: number } | null = null;
  for (const groups of partitions(n)) {
    let cost = 0;
    let ok = true;
    for (const g of groups) {
      for (let x = 0; x < g.length && ok; x++) {
        for (let y = x + 1; y < g.length; y++) {
          if (!(dist[g[x]][g[y]] < opts.agree)) {
            ok = false;
            break;
          }
          cost += dist[g[x]][g[y]];
        }
      }
      if (!ok) break;
    }
    if (ok && (!best || groups.length < best.groups.length || (groups.length === best.groups.length && cost < best.cost))) best = { groups, cost };
  }
  return (best?.groups ?? []).map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** Every partition of 0 … n−1 into non-empty blocks (each block's indexes ascending). */
function* partitions(n: number): Generator<number[][]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const rest of partitions(n - 1)) {
    const last = n - 1;
    for (let b = 0; b < rest.length; b++) yield rest.map((block, i) => (i === b ? [...block, last] : block));
    yield [...rest, [last]];
  }
}

/**
 * What the calibrated matcher compares faces with, for the product's search and the CLI alike:
 * with 'centroid', one centroid per group of agreeing references; with 'nearest', each reference
 * (one group of all, for the label decision).
 */
export function searchProbes(
  references: number[][],
  opts: { aggregation: Aggregation; agree: number; cohort?: Cohort },
): { groups: number[][]; probes: number[][] } {
  if (opts.aggregation === 'nearest') return { groups: [references.map((_, i) => i)], probes: references };
  const groups = referenceGroups(references, opts);
  return { groups, probes: groupCentroids(references, groups) };
}
