import type { Tiers } from './find-matches';
import { fmrAt, thresholdAt, type Line } from './tail-fit';

/**
 * The label calibration (lib/matcher/label-calibration.json, written by bench/label-evidence.ts):
 * for labels of each size, the conservative probit line of the impostors' template distances
 * (see tail-fit.ts), the rates between which it was fitted, and the genuine distances.
 */
export type LabelCalibration = {
  stat: 'template';
  date: string;
  source: string;
  /** A label photo within this distance of the person "matches", for the share and for its tier. */
  shareDistance: number;
  /** A label of two or more photos is taken only when at least this share of them match. */
  minShare: number;
  sizes: {
    size: number;
    /** Labels of this size (the people with that many photos), and the impostor pairs the line was fitted on. */
    labels: number;
    pairs: number;
    line: Line;
    range: number[];
    genuine: Record<string, number>;
    /** Every genuine pair's distance, ascending (for the false non-match rate at any threshold). */
    genuineDistances: number[];
  }[];
};

/** What a search covers: faces, and labels (one label per identity per training set). */
export type RegistrySize = { faces: number; labels: number };

/**
 * Expected stranger photos per request in each tier, split evenly between the per-photo and the
 * per-label decisions. Photos, not people: a stranger's label taken as the person's brings every
 * photo under it, so the label half is shared out by photos (see thresholdsFor).
 */
export const STRANGERS = { shown: 0.01, possible: 1 };

/**
 * The most a request may expect is not the most it can get: one stranger's label brings every photo
 * under it. A label of more than `photos` photos is also held to a rate at which a request takes
 * any stranger's label that large with at most a chance per search (in each tier). The chance is
 * chosen for the registry: the smallest from `strictest` to `loosest` at which people's own labels
 * of the first calibrated size above `photos` (5) still reach the possible tier at least
 * `1 − missAtMost` of the time, by the calibration's genuine distances; `loosest` where none does.
 * A small registry's looser thresholds thus buy a rarer large stranger label, a large registry's
 * recall is kept (bench/README.md, "The most in one request": 1 in 1,000 alone cut possible
 * recall at 10 million faces to 0.925; 1 in 100 alone let one of 192 requests take 7 strangers'
 * photos at 6,449 and 100,000 faces).
 */
export const LARGE_LABEL = { photos: 3, strictest: 0.001, loosest: 0.01, missAtMost: 0.05 } as const;
/** The large-label rule a search holds: a stranger's label of more than `photos` photos is taken in at most `chance` of searches. */
export type LargeLabelRule = { photos: number; chance: number };

/** The large-label rule in words, as a search recorded it (the request page, the certificate). */
export function largeLabelOdds(rule: { photos: number; chance: number }): string {
  return `a stranger's label of more than ${rule.photos} photos is taken in at most 1 search in ${Math.round(1 / rule.chance).toLocaleString('en')}`;
}

/** The label sizes whose tiers a search records and the public page states (any other size is computed alike). */
const RECORDED_SIZES = [1, 2, 3, 5, 10, 20, 50, 100, 1_000];

export type Thresholds = {
  registry: RegistrySize;
  /** Per photo (each face against the person), on cohort-normalised distances. */
  photo: Tiers;
  /** Per label, for labels of these sizes: the template's distance to the person (`labelTiers` gives any size). */
  label: { size: number; shown: number; possible: number }[];
  /**
   * The per-comparison false-match rates aimed at for each tier: `photo` for each face; `label` for
   * each label photo, so that a label of n photos is taken by a stranger at most `label / n`;
   * `largeLabel` for each label of more than `largeLabel.photos` photos, if stricter.
   */
  rates: { photo: Tiers; label: Tiers; largeLabel: Tiers };
  /** The large-label rule these thresholds hold (chosen for the registry as LARGE_LABEL says, unless a bench fixes another). */
  largeLabel: LargeLabelRule;
  /** Stranger photos a request can expect in each tier at these thresholds, by the conservative fits (an upper bound for the labels). */
  expectedStrangers: Tiers;
  /** True when a rate aimed at is below what the calibration data could count (the line is extrapolated there). */
  extrapolated: boolean;
  /** What `labelTiers` reads: each calibrated size's line, and the calibrated tiers no threshold exceeds. */
  lines: { size: number; line: Line }[];
  cap: Tiers;
};

/**
 * The tiers' thresholds for a registry of this size. Each tier's budget of stranger photos
 * (STRANGERS) is split evenly between photos and labels. Each of the `faces` photo comparisons may
 * false-match at half the budget over `faces`. Each of the `labels` labels gets an equal share of
 * the other half, counted in photos: a label of n photos may be taken by a stranger at most at half
 * the budget over `labels × n`, so a large label, which would bring many stranger photos, needs
 * stronger evidence (its template is also nearer the person when it is theirs: bench/README.md).
 * Summed over the labels, whatever their sizes, the stranger photos they can bring are at most half
 * the budget. A label of n photos uses the strictest line of every calibrated size up to n (the
 * data on large labels are few, and their lines lie lower). No threshold is looser than the
 * calibrated small-registry tiers (`cap`). The large-label rule is chosen for the registry
 * (LARGE_LABEL), unless `fixed` gives one (a bench comparing chances).
 */
export function thresholdsFor(cal: LabelCalibration, registry: RegistrySize, cap: Tiers, fixed?: LargeLabelRule): Thresholds {
  const faces = Math.max(1, registry.faces);
  const labels = Math.max(1, registry.labels);
  const lines = [...cal.sizes].sort((a, b) => a.size - b.size).map((s) => ({ size: s.size, line: s.line }));
  const rules = (largeLabel: LargeLabelRule) => ({
    largeLabel,
    lines,
    cap,
    rates: {
      photo: { shown: STRANGERS.shown / 2 / faces, possible: STRANGERS.possible / 2 / faces },
      label: { shown: STRANGERS.shown / 2 / labels, possible: STRANGERS.possible / 2 / labels },
      largeLabel: { shown: largeLabel.chance / labels, possible: largeLabel.chance / labels },
    },
  });
  const { rates, largeLabel } = rules(fixed ?? chooseLargeLabel(cal, (chance) => rules({ photos: LARGE_LABEL.photos, chance })));
  const single = lines[0].line;
  const at = (line: Line, rate: number, most: number) => Math.min(most, thresholdAt(line, rate));
  const photo = { shown: at(single, rates.photo.shown, cap.shown), possible: at(single, rates.photo.possible, cap.possible) };
  const partial = { registry, photo, rates, largeLabel, lines, cap };
  const label = RECORDED_SIZES.map((size) => ({ size, ...labelTiers(partial, size) }));
  const floor = Math.max(...cal.sizes.map((s) => s.range[0]));
  return {
    ...partial,
    label,
    expectedStrangers: { shown: expectedPhotos(partial, 'shown'), possible: expectedPhotos(partial, 'possible') },
    extrapolated: Math.min(rates.photo.shown, rates.label.shown / lines[lines.length - 1].size, rates.largeLabel.shown) < floor,
  };
}

/**
 * The large-label rule for a registry (LARGE_LABEL): the smallest chance at which the guarded size's
 * own labels miss the possible tier at most `missAtMost` of the time. The miss rate only falls as
 * the chance grows (a looser threshold), so the chance is found by bisection on its logarithm.
 * Without genuine distances for that size there is nothing to weigh: the loosest.
 */
function chooseLargeLabel(cal: LabelCalibration, inputs: (chance: number) => LabelInputs): LargeLabelRule {
  const { photos, strictest, loosest, missAtMost } = LARGE_LABEL;
  const guarded = largeLabelGuard(cal);
  const genuine = guarded?.genuineDistances ?? [];
  if (!guarded || !genuine.length) return { photos, chance: loosest };
  const misses = (logChance: number) => {
    const threshold = labelTiers(inputs(Math.exp(logChance)), guarded.size).possible;
    return genuine.filter((d) => d >= threshold).length / genuine.length;
  };
  let [lo, hi] = [Math.log(strictest), Math.log(loosest)];
  if (misses(lo) <= missAtMost) return { photos, chance: strictest };
  if (misses(hi) > missAtMost) return { photos, chance: loosest };
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (misses(mid) <= missAtMost) hi = mid;
    else lo = mid;
  }
  return { photos, chance: Math.exp(hi) };
}

/** The calibrated label size whose genuine labels the large-label chance guards: the first above `LARGE_LABEL.photos`. */
export function largeLabelGuard(cal: LabelCalibration): LabelCalibration['sizes'][number] | undefined {
  return [...cal.sizes].sort((a, b) => a.size - b.size).find((s) => s.size > LARGE_LABEL.photos);
}

type LabelInputs = Pick<Thresholds, 'rates' | 'largeLabel' | 'lines' | 'cap'>;

/** The lines a label of n photos is read from: every calibrated size up to n (the smallest size's for any n). */
function linesUpTo(t: Pick<Thresholds, 'lines'>, n: number): Line[] {
  return t.lines.filter((l, i) => i === 0 || l.size <= n).map((l) => l.line);
}

/**
 * The tiers for a label of `size` photos: its rate (the label rate over its size, and the large
 * label's rate when it has more than `largeLabel.photos`) on the strictest line of every calibrated size up to it.
 */
export function labelTiers(t: LabelInputs, size: number): Tiers {
  const n = Math.max(1, size);
  const lines = linesUpTo(t, n);
  const rate = (tier: keyof Tiers) => Math.min(t.rates.label[tier] / n, n > t.largeLabel.photos ? t.rates.largeLabel[tier] : Infinity);
  const at = (tier: keyof Tiers) => Math.min(t.cap[tier], ...lines.map((l) => thresholdAt(l, rate(tier))));
  return { shown: at('shown'), possible: at('possible') };
}

/**
 * Stranger photos a request can expect in a tier: the faces' false matches, plus, for the labels,
 * the most any one label size could bring (labels × n × its rate, the largest over sizes 1 to the
 * registry's faces). Where the cap holds no label's threshold at its rate, that is below half the budget.
 * Each term is at most half the budget by construction; the clamp removes the last digits that the
 * normal quantile and its inverse lose at rates near 1e-13.
 */
function expectedPhotos(t: Pick<Thresholds, 'registry' | 'photo' | 'rates' | 'largeLabel' | 'lines' | 'cap'>, tier: keyof Tiers): number {
  const faces = Math.max(1, t.registry.faces);
  let most = 0;
  for (let n = 1; n <= faces; n = Math.max(n + 1, Math.floor(n * 1.05))) {
    const threshold = labelTiers(t, n)[tier];
    most = Math.max(most, n * Math.max(...linesUpTo(t, n).map((l) => fmrAt(l, threshold))));
  }
  const half = STRANGERS[tier] / 2;
  return Math.min(half, faces * fmrAt(t.lines[0].line, t.photo[tier])) + Math.min(half, Math.max(1, t.registry.labels) * most);
}
