/**
 * Identity-level evidence (issue 16, part 2, the measurement): how far a person's probe (the
 * centroid of their references) is from a training-set label, by the label's size, for the label
 * that is the person (genuine) and for every label that is not (impostor), on the shared corpora.
 * Three statistics are compared, all cohort-normalised as the matcher's distances are:
 *   - template: the distance from the probe to the mean of the label's descriptors;
 *   - mean:     the mean of the per-photo distances;
 *   - nearest:  the smallest per-photo distance (what a per-photo matcher decides on).
 * Labels of each size are random subsets (fixed seed) of the lfw-train people's photos (5 to 189)
 * and of the AT&T people's (10); probes are every person's references: lfw-train-extra photos for
 * the 152 lfw-train people who have them, the 3,355 lfw-strangers people's photos, AT&T photos not
 * in the label. Cohorts are cross-fitted as in bench/cohort-folds.ts.
 *
 * For each statistic and size: the impostors' lower tail (empirical quantiles with their counts)
 * and a probit fit (statistic against the normal quantile of its empirical CDF, over the tail
 * where at least 25 impostors lie), bootstrapped over probe people for a conservative bound; the
 * genuine distribution's quantiles. Prints JSON lines; `--out FILE` writes the fits for the matcher.
 *
 *   node --import tsx bench/label-evidence.ts [--threads 2] [--out lib/matcher/label-calibration.json]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { cohortDistance, normalisedDistance } from '@/lib/matcher/cohort';
import { fitLowerTail, thresholdAt, type TailFit } from '@/lib/matcher/tail-fit';
import { cohortFor, foldCohorts, foldOf, type Fold } from './cohort-folds';
import { corpusAvailable, embedCorpus, mainFace, type CorpusEntry } from './face-corpus';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' }, out: { type: 'string' } } });
if (!corpusAvailable()) {
  console.log('label-evidence: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const print = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
const data: Record<string, CorpusEntry[]> = {};
for (const c of ['lfw-train', 'lfw-train-extra', 'lfw-strangers', 'att_faces']) data[c] = (await embedCorpus(c, Number(values.threads))).entries;
const cohorts = foldCohorts(data['lfw-strangers']);
const DIM = 128;

type Face = { d: Float64Array; mu: Record<'A' | 'B', number> };
const face = (d: number[]): Face => ({ d: Float64Array.from(d), mu: { A: cohortDistance(d, cohorts.A), B: cohortDistance(d, cohorts.B) } });
const l2 = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < DIM; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};
const mean = (ds: Float64Array[]) => {
  const m = new Float64Array(DIM);
  for (const d of ds) for (let i = 0; i < DIM; i++) m[i] += d[i] / ds.length;
  return m;
};

// A seeded generator (mulberry32), for subsets that are the same on every run.
let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const subset = <T>(xs: T[], n: number) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
};

// People: their label photos (lfw-train, AT&T 3-10) and their reference photos (extra, strangers, AT&T 1-2).
type Person = { id: string; fold: Fold; label: Face[]; refs: Face[] };
const people = new Map<string, Person>();
const personOf = (id: string, fold: Fold) => people.get(id) ?? (people.set(id, { id, fold, label: [], refs: [] }).get(id) as Person);
for (const [corpus, entries] of Object.entries(data)) {
  for (const e of entries) {
    const d = mainFace(e);
    if (!d) continue;
    const p = personOf(`${corpus === 'att_faces' ? 'att' : 'lfw'}:${e.person}`, foldOf(e));
    const isLabel = corpus === 'lfw-train' || (corpus === 'att_faces' && !/[/\\](1|2)\.png$/.test(e.file));
    (isLabel ? p.label : p.refs).push(face(d));
  }
}
const labelled = [...people.values()].filter((p) => p.label.length >= 5);
const probes = [...people.values()].filter((p) => p.refs.length > 0);
print({ bench: 'label-evidence', labels: labelled.length, probes: probes.length, genuineProbes: probes.filter((p) => p.label.length >= 5).length });

// A probe: the centroid of up to 3 references, with its cohort distances.
const probeOf = (p: Person) => {
  const c = mean(p.refs.slice(0, 3).map((f) => f.d));
  return { person: p, c, mu: { A: cohortDistance(c, cohorts.A), B: cohortDistance(c, cohorts.B) } };
};
const probeFaces = probes.map(probeOf);

/** A photo "matches" for the share of a label's photos that do: the calibration's best-accuracy distance. */
const SHARE_DISTANCE = 0.595;
/** A label of two or more photos is taken only when at least this share of them match: genuine labels' 1st percentile is 0.5 or more at every size. */
const MIN_SHARE = 0.5;
const labelCount: Record<number, number> = {};
const SIZES = [1, 2, 3, 5, 10, 20, 50, 100];
const STATS = ['template', 'mean', 'nearest'] as const;
type Stat = (typeof STATS)[number];
const fits: Record<string, Partial<Record<Stat, TailFit & { genuine: Record<string, number>; genuineDistances: number[] }>>> = {};
for (const n of SIZES) {
  // Each labelled person with at least n photos gives one label of n random photos.
  const labels = labelled
    .filter((p) => p.label.length >= n)
    .map((p) => {
      const photos = subset(p.label, n);
      const t = mean(photos.map((f) => f.d));
      return { person: p, photos, t, tmu: { A: cohortDistance(t, cohorts.A), B: cohortDistance(t, cohorts.B) } };
    });
  const room = probeFaces.length * labels.length;
  const empty = () => ({ genuine: [] as number[], impostor: new Float64Array(room), group: new Int32Array(room) });
  const scores: Record<Stat, ReturnType<typeof empty>> = { template: empty(), mean: empty(), nearest: empty() };
  const genuineShares: number[] = [];
  let m = 0;
  for (const [pi, pr] of probeFaces.entries()) {
    for (const lb of labels) {
      const c = cohortFor(pr.person.fold, lb.person.fold);
      if (!c) continue;
      const off = cohorts[c].offset;
      const tpl = normalisedDistance(l2(pr.c, lb.t), pr.mu[c], lb.tmu[c], off);
      let sum = 0;
      let near = Infinity;
      let within = 0;
      for (const f of lb.photos) {
        const d = normalisedDistance(l2(pr.c, f.d), pr.mu[c], f.mu[c], off);
        sum += d;
        near = Math.min(near, d);
        if (d < SHARE_DISTANCE) within++;
      }
      if (pr.person === lb.person) genuineShares.push(within / lb.photos.length);
      const v: Record<Stat, number> = { template: tpl, mean: sum / lb.photos.length, nearest: near };
      for (const s of STATS) {
        if (pr.person === lb.person) scores[s].genuine.push(v[s]);
        else {
          scores[s].impostor[m] = v[s];
          scores[s].group[m] = pi;
        }
      }
      if (pr.person !== lb.person) m++;
    }
  }
  fits[n] = {};
  labelCount[n] = labels.length;
  const shares = genuineShares.sort((a, b) => a - b);
  const sq = (p: number) => Math.round(shares[Math.floor(p * (shares.length - 1))] * 1e3) / 1e3;
  print({ size: n, genuineShareWithin: SHARE_DISTANCE, min: sq(0), q01: sq(0.01), q05: sq(0.05), median: sq(0.5) });
  for (const s of STATS) {
    const g = [...scores[s].genuine].sort((a, b) => a - b);
    const q = (p: number) => Math.round(g[Math.min(g.length - 1, Math.floor(p * g.length))] * 1e4) / 1e4;
    const fit = fitLowerTail(scores[s].impostor.subarray(0, m), scores[s].group.subarray(0, m), { minCount: 25, bootstrap: 200, seed: 7 });
    const genuine = { n: g.length, q50: q(0.5), q90: q(0.9), q95: q(0.95), q99: q(0.99), max: q(1) };
    fits[n][s] = { ...fit, genuine, genuineDistances: g.map((x) => Math.round(x * 1e4) / 1e4) };
    const at = (fmr: number) => Math.round(thresholdAt(fit.conservative, fmr) * 1e4) / 1e4;
    const recallAt = (fmr: number) => Math.round((g.filter((x) => x < thresholdAt(fit.conservative, fmr)).length / g.length) * 1e3) / 1e3;
    print({
      size: n,
      stat: s,
      labels: labels.length,
      impostorPairs: m,
      genuine,
      fit: { slope: fit.slope, intercept: fit.intercept, slopeLow: fit.conservative.slope, interceptLow: fit.conservative.intercept, rangeFmr: fit.range },
      checks: fit.checks,
      thresholdAt: { '1e-4': at(1e-4), '1e-6': at(1e-6), '1e-8': at(1e-8), '1e-9': at(1e-9) },
      recallAt: { '1e-4': recallAt(1e-4), '1e-6': recallAt(1e-6), '1e-8': recallAt(1e-8), '1e-9': recallAt(1e-9) },
    });
  }
}
if (values.out) {
  // The matcher's label calibration (lib/matcher/registry-thresholds.ts): the template statistic's
  // fits by label size, with what each rests on.
  const sizes = SIZES.map((size) => {
    const f = fits[size].template!;
    return {
      size,
      labels: labelCount[size],
      pairs: f.pairs,
      line: f.conservative,
      fit: { slope: f.slope, intercept: f.intercept },
      range: f.range,
      checks: f.checks,
      genuine: f.genuine,
      genuineDistances: f.genuineDistances,
    };
  });
  const out = {
    stat: 'template',
    date: new Date().toISOString().slice(0, 10),
    source: 'bench/label-evidence.ts on lfw-train, lfw-train-extra, lfw-strangers and att_faces (shared/data/faces)',
    shareDistance: SHARE_DISTANCE,
    minShare: MIN_SHARE,
    sizes,
  };
  fs.writeFileSync(values.out, JSON.stringify(out, null, 1) + '\n');
}
