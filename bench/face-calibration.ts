/**
 * Calibrates the matcher on real labelled faces (../shared/data/faces) and writes
 * lib/matcher/calibration.json, which the matcher reads. Prints:
 *  - failure to acquire (images where no face was found) per corpus and detection pass;
 *  - same-person vs different-person pair distances: the threshold at a pair false-match rate of
 *    1e-3 and the true-accept rate there (photos without a face count as rejections), and the
 *    best-threshold accuracy on balanced pairs;
 *  - retrieval as the product does it (references from lfw-train-extra searched among lfw-train +
 *    lfw-strangers), per aggregation over references, with the thresholds of the two tiers:
 *    shown (precision >= 0.99) and possible (recall >= 0.97 at <= 2 strangers per person).
 *
 *   node --import tsx bench/face-calibration.ts [--threads 2]
 */
import { PASSES } from '@/lib/faces/detect-faces';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusAvailable, embedCorpus, mainFace, type CorpusEntry } from './face-corpus';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' } } });
if (!corpusAvailable()) {
  console.log('face-calibration: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const threads = Number(values.threads);
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
    return [c, { images: e.length, noFace: none, rate: none / e.length, foundByPass: byPass, errors: e.filter((x) => x.error).map((x) => `${x.file}: ${x.error}`) }];
  }),
);

// Pairs: every same-person pair (LFW train+extra, AT&T); random different-person pairs.
type Photo = { person: string; d: number[] | null };
const photos: Photo[] = [
  ...[...data['lfw-train'], ...data['lfw-train-extra']].map((e) => ({ person: `lfw:${e.person}`, d: mainFace(e) })),
  ...data['lfw-strangers'].map((e) => ({ person: `lfw:${e.person}`, d: mainFace(e) })),
  ...data['att_faces'].map((e) => ({ person: `att:${e.person}`, d: mainFace(e) })),
];
const byPerson = new Map<string, Photo[]>();
for (const p of photos) byPerson.set(p.person, [...(byPerson.get(p.person) ?? []), p]);
const same: number[] = [];
for (const list of byPerson.values()) for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) same.push(list[i].d && list[j].d ? dist(list[i].d!, list[j].d!) : Infinity);
let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const different: number[] = [];
while (different.length < 2_000_000) {
  const a = photos[Math.floor(rand() * photos.length)];
  const b = photos[Math.floor(rand() * photos.length)];
  if (a.person === b.person) continue;
  different.push(a.d && b.d ? dist(a.d, b.d) : Infinity);
}
same.sort((a, b) => a - b);
different.sort((a, b) => a - b);
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
const farThreshold = different[Math.floor(1e-3 * different.length)];
let best = { threshold: 0, accuracy: 0 };
for (let t = 0.2; t <= 1.0; t += 0.0025) {
  const acc = (below(same, t) + 1 - below(different, t)) / 2;
  if (acc > best.accuracy) best = { threshold: Math.round(t * 1e4) / 1e4, accuracy: acc };
}

// Retrieval: references (lfw-train-extra) against the gallery (lfw-train + lfw-strangers).
type GalleryFace = { person: string; d: number[] };
const gallery: GalleryFace[] = [...data['lfw-train'], ...data['lfw-strangers']].flatMap((e) => {
  const d = mainFace(e);
  return d ? [{ person: e.person, d }] : [];
});
const trainCount = new Map<string, number>();
for (const e of data['lfw-train']) trainCount.set(e.person, (trainCount.get(e.person) ?? 0) + 1);
const queries = new Map<string, number[][]>();
for (const e of data['lfw-train-extra']) {
  const d = mainFace(e);
  if (d) queries.set(e.person, [...(queries.get(e.person) ?? []), d]);
}
type Scored = { own: boolean; score: number };
function scoreAll(aggregate: 'nearest' | 'centroid'): { person: string; scored: Scored[]; truth: number }[] {
  return [...queries].map(([person, refs]) => {
    const centroid = refs[0].map((_, i) => refs.reduce((s, r) => s + r[i], 0) / refs.length);
    const scored = gallery.map((g) => ({
      own: g.person === person,
      score: aggregate === 'nearest' ? Math.min(...refs.map((r) => dist(r, g.d))) : dist(centroid, g.d),
    }));
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
  return { threshold: Math.round(t * 1e4) / 1e4, precision: tp / Math.max(1, tp + fp), recall: tp / truth, strangersPerPerson: fp / results.length };
}
const retrieval = (['nearest', 'centroid'] as const).map((aggregation) => {
  const results = scoreAll(aggregation);
  // shown: the largest threshold keeping precision >= 0.99; possible: the largest keeping <= 2 strangers per person.
  let shown = at(results, 0.2);
  let possible = at(results, 0.2);
  for (let t = 0.2; t <= 0.8; t += 0.0025) {
    const r = at(results, t);
    if (r.precision >= 0.99) shown = r;
    if (r.strangersPerPerson <= 2) possible = r;
  }
  return { aggregation, people: results.length, galleryFaces: gallery.length, shown, possible };
});
const chosen = [...retrieval].sort((a, b) => b.possible.recall + b.shown.recall - (a.possible.recall + a.shown.recall))[0];

const calibration = {
  model: 'faceapi-128@1.7.15',
  pipeline: 'Tiny face detector, then SSD-MobileNet v1 (plain, padded 30%, padded at 0.25 confidence) on what it misses; 68 landmarks; dlib-aligned chip (eyes and mouth); mean of chip and mirrored-chip descriptors',
  date: new Date().toISOString().slice(0, 10),
  data: Object.fromEntries(corpora.map((c) => [c, data[c].length])),
  failureToAcquire: fta,
  pairs: {
    same: same.length,
    different: different.length,
    atFar1e3: { far: 1e-3, threshold: Math.round(farThreshold * 1e4) / 1e4, tar: below(same, farThreshold) },
    bestAccuracy: best,
  },
  retrieval,
  matcher: { aggregation: chosen.aggregation, shownThreshold: chosen.shown.threshold, possibleThreshold: chosen.possible.threshold },
};
fs.writeFileSync(path.resolve('lib/matcher/calibration.json'), JSON.stringify(calibration, null, 2) + '\n');

// The public centring vector for the unlearning heads (UNLEARNING.md): the mean descriptor of the
// lfw-strangers faces, people who are in no training set here.
const strangers = data['lfw-strangers'].map(mainFace).filter((d): d is number[] => d !== null);
const centre = strangers[0].map((_, i) => strangers.reduce((s, d) => s + d[i], 0) / strangers.length);
fs.writeFileSync(
  path.resolve('lib/faces/public-centre.json'),
  JSON.stringify({ model: 'faceapi-128@1.7.15', source: 'lfw-strangers (LFW people with 1-4 photos, in no training set here)', faces: strangers.length, date: calibration.date, centre }) + '\n',
);
console.log(JSON.stringify({ ...calibration, embedSeconds, failureToAcquire: Object.fromEntries(Object.entries(fta).map(([k, v]) => [k, { ...v, errors: v.errors.slice(0, 5) }])) }, null, 2));
