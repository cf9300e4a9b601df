import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { loadCohort, type Cohort, type CohortSpec, type ModelCohort } from './cohort';
import type { Aggregation, Tiers } from './find-matches';
import { thresholdsFor, type LabelCalibration, type RegistrySize, type Thresholds } from './registry-thresholds';

export type Calibration = {
  model: string;
  date: string;
  tiers: Tiers;
  aggregation: Aggregation;
  cohort: CohortSpec | null;
  /**
   * Two reference photos agree (are searched as one face, reference-groups.ts) below this distance:
   * the one that best separates LFW's same-person pairs from its different-person pairs
   * (`pairs.*.bestAccuracy`, on the distance the matcher uses).
   */
  referencesAgree: number;
};

let cached: Calibration | undefined;

/**
 * The matcher's thresholds, measured on labelled real faces by bench/face-calibration.ts and
 * committed as lib/matcher/calibration.json (data used, date and figures are in the file).
 */
export function calibration(): Calibration {
  if (cached) return cached;
  const file = path.join(env().root, 'lib', 'matcher', 'calibration.json');
  if (!fs.existsSync(file))
    throw new AppError(
      'unavailable',
      'The matcher is not calibrated: run `node --import tsx bench/face-calibration.ts` to create lib/matcher/calibration.json.',
    );
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));
  cached = {
    model: c.model,
    date: c.date,
    aggregation: c.matcher.aggregation,
    tiers: { shown: c.matcher.shownThreshold, possible: c.matcher.possibleThreshold },
    cohort: c.matcher.cohort ?? null,
    referencesAgree: (c.matcher.cohort ? c.pairs.cohort : c.pairs.raw).bestAccuracy.threshold,
  };
  return cached;
}

/** The calibrated matcher's cohort (its thresholds are on cohort-normalised distances), or undefined for raw distances. */
export function calibratedCohort(): Cohort | undefined {
  const spec = calibration().cohort;
  return spec ? loadCohort(spec) : undefined;
}

/** The calibrated model's cohort, for writers that store cohort distances with their rows (label templates), or undefined. */
export function calibratedModelCohort(): ModelCohort | undefined {
  const cohort = calibratedCohort();
  return cohort ? { model: calibration().model, cohort } : undefined;
}

let labels: LabelCalibration | undefined;

/**
 * The label calibration: the impostor tail of label templates by label size, measured by
 * bench/label-evidence.ts and committed as lib/matcher/label-calibration.json.
 */
export function labelCalibration(): LabelCalibration {
  if (labels) return labels;
  const file = path.join(env().root, 'lib', 'matcher', 'label-calibration.json');
  if (!fs.existsSync(file))
    throw new AppError(
      'unavailable',
      'The matcher has no label calibration: run `node --import tsx bench/label-evidence.ts --out lib/matcher/label-calibration.json`.',
    );
  labels = JSON.parse(fs.readFileSync(file, 'utf8')) as LabelCalibration;
  return labels;
}

/** The thresholds in force for a registry of this size (registry-thresholds.ts), never looser than the calibrated tiers. */
export function thresholdsForRegistry(registry: RegistrySize): Thresholds {
  return thresholdsFor(labelCalibration(), registry, calibration().tiers);
}
