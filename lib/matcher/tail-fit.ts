import cdf from '@stdlib/stats-base-dists-normal-cdf';
import quantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * The lower tail of a distance between different people, extrapolated past what the data can show.
 * With m impostor pairs, no rate below about 3/m can be counted; a registry of millions needs rates
 * of 1e-9. In probit coordinates (the distance against the normal quantile of its empirical CDF) the
 * tail of a sum-of-many-parts distance is close to a straight line, so a line is fitted where the
 * data lie (from the rate at which `minCount` pairs lie below, up to `upperFmr`) and carried down.
 * That is a model, not a count: the fit is bootstrapped over the probes' people (pairs of one probe
 * are not independent) and the conservative line is the 5th percentile of the replicates'
 * thresholds at two anchors (1e-3 and 1e-9), so a threshold read from it is lower (stricter) than
 * the fit's in 95 % of resamplings. `checks` compares the fit with the counts it was made from.
 */
export type Line = { slope: number; intercept: number };
export type TailFit = Line & {
  conservative: Line;
  /** The rates between which the line was fitted (outside it, extrapolated). */
  range: [number, number];
  pairs: number;
  checks: { fmr: number; observed: number; predictedByFit: number }[];
};

const ANCHORS = [1e-3, 1e-9];
const POINTS = 24;

/** The threshold below which a fraction `fmr` of impostor distances lies, on a line. */
export function thresholdAt(line: Line, fmr: number): number {
  return line.intercept + line.slope * quantile(fmr, 0, 1);
}

/** The fraction of impostor distances below `threshold`, on a line. */
export function fmrAt(line: Line, threshold: number): number {
  return cdf((threshold - line.intercept) / line.slope, 0, 1);
}

function leastSquares(xs: number[], ys: number[]): Line {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Rates spaced evenly in log between lo and hi. */
const ladder = (lo: number, hi: number) => Array.from({ length: POINTS }, (_, i) => lo * (hi / lo) ** (i / (POINTS - 1)));

/**
 * Fits the lower tail of `scores` (impostor distances; `groups[i]` is the probe person of score i,
 * for the bootstrap). Deterministic for a given seed.
 */
export function fitLowerTail(
  scores: Float64Array,
  groups: Int32Array,
  opts: { minCount: number; bootstrap: number; seed: number; upperFmr?: number },
): TailFit {
  const m = scores.length;
  const upperFmr = opts.upperFmr ?? 0.05;
  const lo = opts.minCount / m;
  if (!(lo < upperFmr)) throw new RangeError(`${m} pairs are too few to fit a tail from ${opts.minCount} pairs up`);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const tailEnd = Math.ceil(upperFmr * m) + 1;
  const tail = order.slice(0, tailEnd);
  const rates = ladder(lo, upperFmr);
  const zs = rates.map((r) => quantile(r, 0, 1));
  // The quantile at each rate, for given weights per group (all 1: the data as they are).
  const quantilesFor = (weight: (g: number) => number, total: number) => {
    const out: number[] = [];
    let acc = 0;
    let k = 0;
    for (const i of tail) {
      acc += weight(groups[i]);
      while (k < rates.length && acc >= rates[k] * total) out[k++] = scores[i];
      if (k === rates.length) break;
    }
    return out;
  };
  const fit = leastSquares(
    zs,
    quantilesFor(() => 1, m),
  );

  // Bootstrap over probe people: each replicate draws the groups with replacement.
  const groupCount = groups.reduce((mx, g) => Math.max(mx, g), 0) + 1;
  const perGroup = new Float64Array(groupCount);
  for (const g of groups) perGroup[g]++;
  let state = opts.seed >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const anchorsByReplicate: number[][] = ANCHORS.map(() => []);
  const w = new Float64Array(groupCount);
  for (let b = 0; b < opts.bootstrap; b++) {
    w.fill(0);
    for (let i = 0; i < groupCount; i++) w[Math.floor(rand() * groupCount)]++;
    let total = 0;
    for (let g = 0; g < groupCount; g++) total += w[g] * perGroup[g];
    const qs = quantilesFor((g) => w[g], total);
    if (qs.length < rates.length) continue;
    const line = leastSquares(zs, qs);
    ANCHORS.forEach((a, i) => anchorsByReplicate[i].push(thresholdAt(line, a)));
  }
  const low = anchorsByReplicate.map((xs) => xs.sort((a, b) => a - b)[Math.floor(0.05 * xs.length)] ?? NaN);
  const [z0, z1] = ANCHORS.map((a) => quantile(a, 0, 1));
  const slope = (low[0] - low[1]) / (z0 - z1);
  const conservative = { slope, intercept: low[0] - slope * z0 };

  const checks = [lo, 10 * lo, 1e-3, 1e-2].map((fmr) => {
    const at = scores[order[Math.max(0, Math.ceil(fmr * m) - 1)]];
    let observed = 0;
    for (const i of tail) if (scores[i] < at) observed++;
    return { fmr, observed, predictedByFit: Math.round(fmrAt(fit, at) * m * 10) / 10 };
  });
  return { ...fit, conservative, range: [lo, upperFmr], pairs: m, checks };
}
