/**
 * Calibrates the matcher on real labelled faces (../shared/data/faces) and writes
 * lib/matcher/calibration.json, which the matcher reads. Prints:
 *  - failure to acquire (images where no face was found) per corpus and detection pass;
 *  - same-person vs different-person pair distances: the threshold at a pair false-match rate of
 *    1e-3 and the true-accept rate there (photos without a face count as rejections), and the
 *    best-threshold accuracy on balanced pairs;
 *  - retrieval as the product does it (references from lfw-train-extra searched among lfw-train +
 *    lfw-strangers), per aggregation over references, with the thresholds of the two tiers:
 *    shown (precision >= 0.99) and possible (recall >= 0.97 at <= 2 strangers per person);
 *  - all of it for raw distances and for cohort-normalised ones (lib/matcher/cohort.ts), whose
 *    cohort it writes to lib/matcher/cohort.f32 when the matcher uses them;
 *  - the possible tier with label expansion (lib/matcher/label-expansion.ts), for requesters in
 *    the gallery and for requesters in none; adopted only if neither sees more than 2 strangers.
 *
 *   node --import tsx bench/face-calibration.ts [--threads 2]
 */
import { PASSES } from '@/lib/faces/detect-faces';
import { cohortDistance, normalisedDistance } from '@/lib/matcher/cohort';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COHORT_K, cohortFor, foldCohorts, foldOf, type Fold } from './cohort-folds';
import { corpusAvailable, embedCorpus, mainFace, type CorpusEntry } from './face-corpus';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' } } });
if (!corpusAvailable()) {
  console.log('face-calibration: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const threads = Number(values.threads);
/** How many nearest cohort faces the cohort distance averages (1 % of the cohort). */
const corpora = ['lfw-train', 'lfw-train-extra', 'lfw-strangers', 'att_faces'];
const data: Record<string, CorpusEntry[]> = {};
const embedSeconds: Record<string, number | null> = {};
for (const c of corpora) {
  const r = await embedCorpus(c, threads);
  data[c] = r.entries;
  embedSeconds[c] = r.seconds;
}

const dist = (a: number[], b: number[]) => {
  let s = 0;
  for (let i = 0; i < 128; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};

// Failure to acquire.
const fta = Object.fromEntries(
  corpora.map((c) => {
    const e = data[c];
    const none = e.filter((x) => !x.faces.length).length;
    const byPass = PASSES.map((_, p) => e.filter((x) => x.faces.length && Math.min(...x.faces.map((f) => f.pass)) === p).length);
    return [
      c,
      { images: e.length, noFace: none, rate: none / e.length, foundByPass: byPass, errors: e.filter((x) => x.error).map((x) => `${x.file}: ${x.error}`) },
    ];
  }),
);

const cohorts = foldCohorts(data['lfw-strangers']);

// Pairs: every same-person pair (LFW train+extra and strangers, AT&T); random different-person pairs.
type Photo = { person: string; fold: Fold; d: number[] | null; mu: Record<'A' | 'B', number> };
const photoOf = new Map<CorpusEntry, Photo>();
const photo = (e: CorpusEntry, prefix: string): Photo => {
  const known = photoOf.get(e);
  if (known) return known;
  const d = mainFace(e);
  const p: Photo = {
    person: `${prefix}:${e.person}`,
    fold: foldOf(e),
    d,
    mu: { A: d ? cohortDistance(d, cohorts.A) : NaN, B: d ? cohortDistance(d, cohorts.B) : NaN },
  };
  photoOf.set(e, p);
  return p;
};
const photos: Photo[] = [
  ...[...data['lfw-train'], ...data['lfw-train-extra'], ...data['lfw-strangers']].map((e) => photo(e, 'lfw')),
  ...data['att_faces'].map((e) => photo(e, 'att')),
];
type Distance = 'raw' | 'cohort';
const pairDistance = (kind: Distance, a: Photo, b: Photo): number => {
  if (!a.d || !b.d) return Infinity;
  const d = dist(a.d, b.d);
  if (kind === 'raw') return d;
  const c = cohortFor(a.fold, b.fold)!;
  return normalisedDistance(d, a.mu[c], b.mu[c], cohorts[c].offset);
};
const byPerson = new Map<string, Photo[]>();
for (const p of photos) byPerson.set(p.person, [...(byPerson.get(p.person) ?? []), p]);
const samePairs: [Photo, Photo][] = [];
for (const list of byPerson.values()) for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) samePairs.push([list[i], list[j]]);
let seed = 12345;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const differentPairs: [Photo, Photo][] = [];
while (differentPairs.length < 2_000_000) {
  const a = photos[Math.floor(rand() * photos.length)];
  const b = photos[Math.floor(rand() * photos.length)];
  if (a.person === b.person || !cohortFor(a.fold, b.fold)) continue;
  differentPairs.push([a, b]);
}
const below = (sorted: number[], t: number) => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
};
const pairFigures = (kind: Distance) => {
  const same = samePairs.map(([a, b]) => pairDistance(kind, a, b)).sort((a, b) => a - b);
  const different = differentPairs.map(([a, b]) => pairDistance(kind, a, b)).sort((a, b) => a - b);
  const farThreshold = different[Math.floor(1e-3 * different.length)];
  let best = { threshold: 0, accuracy: 0 };
  for (let t = 0.2; t <= 1.0; t += 0.0025) {
    const acc = (below(same, t) + 1 - below(different, t)) / 2;
    if (acc > best.accuracy) best = { threshold: Math.round(t * 1e4) / 1e4, accuracy: acc };
  }
  return { atFar1e3: { far: 1e-3, threshold: Math.round(farThreshold * 1e4) / 1e4, tar: below(same, farThreshold) }, bestAccuracy: best };
};

// Retrieval: references (lfw-train-extra) against the gallery (lfw-train + lfw-strangers).
type GalleryFace = { person: string; fold: Fold; d: number[]; mu: Record<'A' | 'B', number> };
const gallery: GalleryFace[] = [...data['lfw-train'], ...data['lfw-strangers']].flatMap((e) => {
  const p = photo(e, 'lfw');
  return p.d ? [{ person: e.person, fold: p.fold, d: p.d, mu: p.mu }] : [];
});
const trainCount = new Map<string, number>();
for (const e of data['lfw-train']) trainCount.set(e.person, (trainCount.get(e.person) ?? 0) + 1);
const queries = new Map<string, number[][]>();
for (const e of data['lfw-train-extra']) {
  const d = mainFace(e);
  if (d) queries.set(e.person, [...(queries.get(e.person) ?? []), d]);
}
type Scored = { own: boolean; person: string; score: number };
function scoreAll(aggregate: 'nearest' | 'centroid', kind: Distance): { person: string; scored: Scored[]; truth: number }[] {
  return [...queries].map(([person, refs]) => {
    const probes = aggregate === 'nearest' ? refs : [refs[0].map((_, i) => refs.reduce((s, r) => s + r[i], 0) / refs.length)];
    const probeMu = probes.map((p) => ({ A: cohortDistance(p, cohorts.A), B: cohortDistance(p, cohorts.B) }));
    const scored = gallery.map((g) => {
      const c = cohortFor(null, g.fold)!;
      const score = Math.min(
        ...probes.map((p, i) => (kind === 'raw' ? dist(p, g.d) : normalisedDistance(dist(p, g.d), probeMu[i][c], g.mu[c], cohorts[c].offset))),
      );
      return { own: g.person === person, person: g.person, score };
    });
    return { person, scored, truth: trainCount.get(person) ?? 0 };
  });
}
function at(results: ReturnType<typeof scoreAll>, t: number) {
  let tp = 0;
  let fp = 0;
  let truth = 0;
  for (const r of results) {
    truth += r.truth;
    for (const s of r.scored) {
      if (s.score >= t) continue;
      if (s.own) tp++;
      else fp++;
    }
  }
  return { threshold: t, precision: tp / Math.max(1, tp + fp), recall: tp / truth, strangersPerPerson: fp / results.length };
}
const scored = new Map<string, ReturnType<typeof scoreAll>>();
const retrieval = (['raw', 'cohort'] as const).flatMap((distance) =>
  (['nearest', 'centroid'] as const).map((aggregation) => {
    const results = scoreAll(aggregation, distance);
    scored.set(`${distance}:${aggregation}`, results);
    // shown: the largest threshold keeping precision >= 0.99; possible: the largest keeping <= 2
    // strangers per person. Every score is a candidate threshold: sweep them in order.
    const all = results.flatMap((r) => r.scored).sort((a, b) => a.score - b.score);
    let [tp, fp, shownAt, possibleAt] = [0, 0, 0, 0];
    for (let i = 0; i < all.length && fp <= 2 * results.length; i++) {
      if (all[i].own) tp++;
      else fp++;
      if (i + 1 < all.length && all[i + 1].score === all[i].score) continue;
      const next = i + 1 < all.length ? all[i + 1].score : all[i].score + 1e-3;
      // A threshold between this score and the next one, rounded down to 1e-5 but still above this score.
      const t = Math.max(Math.floor(((all[i].score + next) / 2) * 1e5) / 1e5, all[i].score + 1e-9);
      if (tp / (tp + fp) >= 0.99) shownAt = t;
      if (fp <= 2 * results.length) possibleAt = t;
    }
    const shown = at(results, shownAt);
    const possible = at(results, possibleAt);
    return { distance, aggregation, people: results.length, galleryFaces: gallery.length, shown, possible };
  }),
);
const chosen = [...retrieval].sort((a, b) => b.possible.recall + b.shown.recall - (a.possible.recall + a.shown.recall))[0];

// Label expansion (lib/matcher/label-expansion.ts; the gallery's labels are the LFW names): a
// label with >= 2 shown matches brings its other photos under the best-accuracy threshold into
// the possible tier. Measured for the requesters (recall, strangers) and for the same requesters
// with their own photos taken out of the gallery (a requester in no training set: strangers only).
const pairsFigures = { raw: pairFigures('raw'), cohort: pairFigures('cohort') };
const expansion = { minShown: 2, threshold: pairsFigures[chosen.distance].bestAccuracy.threshold };
function expanded(results: ReturnType<typeof scoreAll>, absent: boolean) {
  let [tp, fp, truth] = [0, 0, 0];
  for (const r of results) {
    truth += r.truth;
    const list = absent ? r.scored.filter((s) => !s.own) : r.scored;
    const shownBy = new Map<string, number>();
    for (const s of list) if (s.score < chosen.shown.threshold) shownBy.set(s.person, (shownBy.get(s.person) ?? 0) + 1);
    for (const s of list) {
      const hit = s.score < chosen.possible.threshold || ((shownBy.get(s.person) ?? 0) >= expansion.minShown && s.score < expansion.threshold);
      if (hit && s.own) tp++;
      else if (hit) fp++;
    }
  }
  return absent ? { strangersPerPerson: fp / results.length } : { recall: tp / truth, precision: tp / (tp + fp), strangersPerPerson: fp / results.length };
}
const chosenResults = scored.get(`${chosen.distance}:${chosen.aggregation}`)!;
const labelExpansion = { ...expansion, possible: expanded(chosenResults, false), possibleForAbsentRequesters: expanded(chosenResults, true) };
const expansionHolds = labelExpansion.possible.strangersPerPerson! <= 2 && labelExpansion.possibleForAbsentRequesters.strangersPerPerson <= 2;
const cohortFile = 'cohort.f32';
if (chosen.distance === 'cohort') fs.writeFileSync(path.resolve('lib/matcher', cohortFile), cohorts.A.bytes);

const calibration = {
  model: 'faceapi-128@1.7.15',
  pipeline:
    'Tiny face detector, then SSD-MobileNet v1 (plain, padded 30%, padded at 0.25 confidence, padded 60% at 0.25) on what it ' +
    'misses; 68 landmarks; dlib-aligned chip (eyes and mouth); mean of chip and mirrored-chip descriptors',
  date: new Date().toISOString().slice(0, 10),
  data: Object.fromEntries(corpora.map((c) => [c, data[c].length])),
  failureToAcquire: fta,
  cohort: {
    source:
      'lfw-strangers, the people of fold A (FNV-1a hash of the name is odd): in no training set here; fold B stands in for it ' +
      'wherever a fold-A stranger is measured',
    k: COHORT_K,
    faces: { A: cohorts.A.vectors.length / 128, B: cohorts.B.vectors.length / 128 },
    offset: { A: cohorts.A.offset, B: cohorts.B.offset },
  },
  pairs: {
    same: samePairs.length,
    different: differentPairs.length,
    ...pairsFigures,
  },
  retrieval,
  labelExpansion: { distance: chosen.distance, aggregation: chosen.aggregation, ...labelExpansion, adopted: expansionHolds },
  matcher: {
    distance: chosen.distance,
    aggregation: chosen.aggregation,
    shownThreshold: chosen.shown.threshold,
    possibleThreshold: chosen.possible.threshold,
    cohort:
      chosen.distance === 'cohort'
        ? {
            file: cohortFile,
            faces: cohorts.A.vectors.length / 128,
            sha256: crypto.createHash('sha256').update(cohorts.A.bytes).digest('hex'),
            k: COHORT_K,
            offset: cohorts.A.offset,
            source: 'lfw-strangers fold A',
          }
        : null,
    labelExpansion: expansionHolds ? expansion : null,
  },
};
fs.writeFileSync(path.resolve('lib/matcher/calibration.json'), JSON.stringify(calibration, null, 2) + '\n');

// The public centring vector for the unlearning heads (docs/unlearning.md): the mean descriptor of the
// lfw-strangers faces, people who are in no training set here.
const strangers = data['lfw-strangers'].map(mainFace).filter((d): d is number[] => d !== null);
const centre = strangers[0].map((_, i) => strangers.reduce((s, d) => s + d[i], 0) / strangers.length);
fs.writeFileSync(
  path.resolve('lib/faces/public-centre.json'),
  JSON.stringify({
    model: 'faceapi-128@1.7.15',
    source: 'lfw-strangers (LFW people with 1-4 photos, in no training set here)',
    faces: strangers.length,
    date: calibration.date,
    centre,
  }) + '\n',
);
console.log(
  JSON.stringify(
    { ...calibration, embedSeconds, failureToAcquire: Object.fromEntries(Object.entries(fta).map(([k, v]) => [k, { ...v, errors: v.errors.slice(0, 5) }])) },
    null,
    2,
  ),
);
