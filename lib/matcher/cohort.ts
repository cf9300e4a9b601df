import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';

const DIM = 128;
/** A cohort face this close to the face itself is the same photo (descriptors are deterministic), not a neighbour. */
const SAME_PHOTO = 1e-3;

/**
 * Cohort normalisation (CSLS-style hubness correction): a face's cohort distance is the mean
 * distance to its k nearest faces in a fixed public cohort of strangers. A face in a crowded part
 * of descriptor space (many people look alike there) is near everybody, so raw distances flatter
 * it; the normalised distance between two faces is their distance minus the mean of their two
 * cohort distances, plus the cohort's own typical cohort distance (`offset`) so that it stays on
 * the raw distances' scale. Measured on LFW (bench/face-calibration.ts): shown-tier recall 0.73 →
 * 0.92 at the same precision, for one 2,000-face scan per face at ingest and per search.
 */
export type Cohort = {
  /** Row-major faces × 128 descriptors (float32, as stored in the cohort file). */
  vectors: Float32Array;
  /** How many nearest cohort faces are averaged. */
  k: number;
  /** The mean cohort distance of the cohort's own faces (each without itself). */
  offset: number;
};

/** A cohort and the embedding model whose descriptors it holds (a distance of another model's is never normalised by it). */
export type ModelCohort = { model: string; cohort: Cohort };

export type CohortSpec = { file: string; faces: number; sha256: string; k: number; offset: number; source: string };

/** The mean distance from `descriptor` to its k nearest cohort faces (float64; the same photo is skipped). */
export function cohortDistance(descriptor: ArrayLike<number>, cohort: Pick<Cohort, 'vectors' | 'k'>): number {
  const n = cohort.vectors.length / DIM;
  const k = Math.min(cohort.k, n);
  if (!(k >= 1)) throw new RangeError('the cohort needs at least one face and k >= 1');
  // The k smallest distances, kept sorted ascending in `best` (k is small: insertion is cheapest).
  const best = new Float64Array(k).fill(Infinity);
  const v = cohort.vectors;
  for (let j = 0; j < n; j++) {
    let s = 0;
    const o = j * DIM;
    for (let i = 0; i < DIM; i++) {
      const t = descriptor[i] - v[o + i];
      s += t * t;
    }
    if (s >= best[k - 1] * best[k - 1]) continue;
    const d = Math.sqrt(s);
    if (d < SAME_PHOTO) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1] > d) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = d;
  }
  let sum = 0;
  let m = 0;
  for (const d of best) {
    if (d === Infinity) continue;
    sum += d;
    m++;
  }
  return sum / m;
}

/** The distance between two faces, corrected for how crowded their neighbourhoods are (see Cohort). */
export function normalisedDistance(distance: number, cohortDistanceA: number, cohortDistanceB: number, offset: number): number {
  return distance - (cohortDistanceA + cohortDistanceB) / 2 + offset;
}

/**
 * The raw distance within which every face that normalises under `threshold` lies, for a probe
 * with cohort distance `probeCohortDistance`, when no stored face's cohort distance exceeds
 * `largestCohortDistance`: normalised < threshold ⇔ raw < threshold + (probe's + face's) / 2 − offset.
 */
export function searchRadius(threshold: number, probeCohortDistance: number, largestCohortDistance: number, offset: number): number {
  return threshold + (probeCohortDistance + largestCohortDistance) / 2 - offset;
}

/** The cohort file's bytes as descriptors. */
export function cohortVectors(bytes: Buffer): Float32Array {
  if (bytes.length % (DIM * 4)) throw new RangeError(`a cohort file holds 128-float rows; ${bytes.length} bytes is not a whole number of them`);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Descriptors as the cohort file's bytes (little-endian float32). */
export function cohortBytes(descriptors: number[][]): Buffer {
  const b = Buffer.alloc(descriptors.length * DIM * 4);
  descriptors.forEach((d, r) => d.forEach((x, i) => b.writeFloatLE(x, (r * DIM + i) * 4)));
  return b;
}

/** The mean cohort distance of the cohort's own faces, each measured without itself. */
export function cohortOffset(vectors: Float32Array, k: number): number {
  const n = vectors.length / DIM;
  let s = 0;
  for (let j = 0; j < n; j++) s += cohortDistance(vectors.subarray(j * DIM, (j + 1) * DIM), { vectors, k });
  return s / n;
}

const loaded = new Map<string, Cohort>();

/** The cohort a calibration names, read from lib/matcher/ and checked against its digest. */
export function loadCohort(spec: CohortSpec): Cohort {
  const hit = loaded.get(spec.sha256);
  if (hit) return hit;
  const file = path.join(env().root, 'lib', 'matcher', spec.file);
  if (!fs.existsSync(file))
    throw new AppError('unavailable', `The matcher's cohort file ${spec.file} is missing: run \`node --import tsx bench/face-calibration.ts\`.`);
  const bytes = fs.readFileSync(file);
  const digest = crypto.createHash('sha256').update(bytes).digest('hex');
  if (digest !== spec.sha256)
    throw new AppError('unavailable', `The matcher's cohort file ${spec.file} does not match its calibration (sha256 ${digest}, expected ${spec.sha256}).`);
  const cohort = { vectors: cohortVectors(bytes), k: spec.k, offset: spec.offset };
  if (cohort.vectors.length !== spec.faces * DIM)
    throw new AppError('unavailable', `The matcher's cohort file holds ${cohort.vectors.length / DIM} faces, not ${spec.faces}.`);
  loaded.set(spec.sha256, cohort);
  return cohort;
}
