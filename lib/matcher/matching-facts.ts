import { getDb } from '@/db/client';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { searchScope } from '@/lib/removals/search-scope';
import { labelCalibration, thresholdsForRegistry } from './calibration';
import { LARGE_LABEL, largeLabelGuard, labelTiers, type RegistrySize, type Thresholds } from './registry-thresholds';

/** A share with its 95 % Wilson score interval. */
export type Rate = { value: number; low: number; high: number; n: number };

export function wilson(k: number, n: number): Rate {
  if (!n) return { value: 0, low: 0, high: 1, n };
  const z = 1.96;
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}

/** How often the person's own label of `size` photos is found in each tier, at these thresholds, on the calibration's genuine pairs. */
function foundRates(t: Thresholds, size: number): { shown: Rate; possible: Rate } {
  const row = labelCalibration().sizes.find((s) => s.size === size);
  const d = row?.genuineDistances ?? [];
  // A label is found by its template; a label of one photo is also that photo, decided on its own.
  const label = labelTiers(t, size);
  const tiers = size === 1 ? { shown: Math.max(label.shown, t.photo.shown), possible: Math.max(label.possible, t.photo.possible) } : label;
  return { shown: wilson(d.filter((x) => x < tiers.shown).length, d.length), possible: wilson(d.filter((x) => x < tiers.possible).length, d.length) };
}

export type MatchingFacts = {
  registry: RegistrySize & { datasets: number };
  thresholds: Thresholds;
  calibration: { date: string; source: string; sizes: { size: number; labels: number; pairs: number; countedDownTo: number }[] };
  /** The label size whose genuine labels the large-label chance keeps found (registry-thresholds.ts, largeLabelGuard). */
  largeLabelGuard: number;
  /** The person's own photos found, by label size, at the thresholds in force. */
  found: { size: number; shown: Rate; possible: Rate }[];
  /** The same (possible tier) for registries from a thousand to ten million faces, labels as large on average as today's. */
  byRegistrySize: { faces: number; labels: number; possible: Record<number, number> }[];
};

const SIZES_SHOWN = [1, 3, 10, 20];

/**
 * The page is public and counting the registry reads every face row: the facts are computed at most
 * once per FACTS_SECONDS per process, so that anonymous traffic cannot turn into full-table scans.
 */
const FACTS_SECONDS = 60;
let memo: { at: number; facts: Promise<MatchingFacts> } | undefined;

/** What the public page "How matching works" states: every figure from the calibration files and today's registry (at most a minute old). */
export function matchingFacts(now = Date.now()): Promise<MatchingFacts> {
  if (!memo || now - memo.at > FACTS_SECONDS * 1000) {
    const facts = computeFacts();
    memo = { at: now, facts };
    facts.catch(() => (memo = undefined));
  }
  return memo.facts;
}

async function computeFacts(): Promise<MatchingFacts> {
  const scope = await searchScope(await getDb(), EMBEDDING_MODEL);
  const registry = { faces: scope.faces, labels: scope.labels };
  const thresholds = thresholdsForRegistry(registry);
  const cal = labelCalibration();
  const perLabel = registry.labels ? registry.faces / registry.labels : 100;
  return {
    registry: { ...registry, datasets: scope.datasets.length },
    thresholds,
    calibration: {
      date: cal.date,
      source: cal.source,
      sizes: cal.sizes.map((s) => ({ size: s.size, labels: s.labels, pairs: s.pairs, countedDownTo: s.range[0] })),
    },
    largeLabelGuard: largeLabelGuard(cal)?.size ?? LARGE_LABEL.photos + 1,
    found: SIZES_SHOWN.map((size) => ({ size, ...foundRates(thresholds, size) })),
    byRegistrySize: [1e3, 1e4, 1e5, 1e6, 1e7].map((faces) => {
      const labels = Math.max(1, Math.round(faces / perLabel));
      const t = thresholdsForRegistry({ faces, labels });
      return { faces, labels, possible: Object.fromEntries(SIZES_SHOWN.map((s) => [s, foundRates(t, s).possible.value])) };
    }),
  };
}
