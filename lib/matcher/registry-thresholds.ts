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

/** Expected strangers per request, split evenly between the per-photo and the per-label decisions. */
export const STRANGERS = { shown: 0.01, possible: 1 };

export type Thresholds = {
  registry: RegistrySize;
  /** Per photo (each face against the person), on cohort-normalised distances. */
  photo: Tiers;
  /** Per label, by label size: the template's distance to the person. */
  label: { size: number; shown: number; possible: number }[];
  /** The per-comparison false-match rates aimed at (photo, label) for each tier. */
  rates: { photo: Tiers; label: Tiers };
  /** Strangers a request can expect in each tier at these thresholds, by the conservative fits. */
  expectedStrangers: Tiers;
  /** True when a rate aimed at is below what the calibration data could count (the line is extrapolated there). */
  extrapolated: boolean;
};

/**
 * The tiers' thresholds for a registry of this size: each tier's expected strangers (STRANGERS)
 * is split evenly between photos and labels, so each of the `faces` comparisons may false-match at
 * half the budget over `faces`, and each label at half the budget over `labels`. A label of n photos
 * uses the strictest line of every calibrated size up to n (the data on large labels are few, and
 * their lines lie lower). No threshold is looser than the calibrated small-registry tiers (`cap`).
 */
export function thresholdsFor(cal: LabelCalibration, registry: RegistrySize, cap: Tiers): Thresholds {
  const faces = Math.max(1, registry.faces);
  const labels = Math.max(1, registry.labels);
  const rates = {
    photo: { shown: STRANGERS.shown / 2 / faces, possible: STRANGERS.possible / 2 / faces },
    label: { shown: STRANGERS.shown / 2 / labels, possible: STRANGERS.possible / 2 / labels },
  };
  const sizes = [...cal.sizes].sort((a, b) => a.size - b.size);
  const single = sizes[0];
  const at = (line: Line, rate: number, most: number) => Math.min(most, thresholdAt(line, rate));
  const photo = { shown: at(single.line, rates.photo.shown, cap.shown), possible: at(single.line, rates.photo.possible, cap.possible) };
  const label = sizes.map((s, i) => {
    const lines = sizes.slice(0, i + 1).map((x) => x.line);
    return {
      size: s.size,
      shown: Math.min(...lines.map((l) => at(l, rates.label.shown, cap.shown))),
      possible: Math.min(...lines.map((l) => at(l, rates.label.possible, cap.possible))),
    };
  });
  // The label term: the highest rate any size's line gives at its own threshold (at most the rate aimed at).
  const labelRate = (tier: keyof Tiers) => Math.max(...label.map((t, i) => fmrAt(sizes[i].line, t[tier])));
  const expectedStrangers = {
    shown: faces * fmrAt(single.line, photo.shown) + labels * labelRate('shown'),
    possible: faces * fmrAt(single.line, photo.possible) + labels * labelRate('possible'),
  };
  const floor = Math.max(...sizes.map((s) => s.range[0]));
  return { registry, photo, label, rates, expectedStrangers, extrapolated: Math.min(rates.photo.shown, rates.label.shown) < floor };
}

/** The tiers for a label of `size` photos: those of the largest calibrated size not above it. */
export function labelTiers(t: Thresholds, size: number): Tiers {
  const row = [...t.label].reverse().find((r) => r.size <= size) ?? t.label[0];
  return { shown: row.shown, possible: row.possible };
}
