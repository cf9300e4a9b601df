/**
 * Query expansion for the matcher, measured on both kinds of requester before it is adopted.
 *
 * Expansion moves a person's query (the centroid of their references) towards the gallery faces
 * nearest to it: the top k within `reach`, weighted (1 − d/reach)^½, twice; `guard` admits only
 * faces that close to the original centroid. Retrieval is scored as bench/face-calibration.ts does
 * (references from lfw-train-extra searched among lfw-train + lfw-strangers; the shown tier's
 * threshold keeps precision >= 0.99, the possible tier's keeps <= 2 strangers per person), and for
 * requesters in no training set (the same references with the person's own photos left out of the
 * gallery, so that every match is a stranger) at those thresholds, counted like the tiers
 * (possible includes shown).
 *
 *   node --import tsx bench/matcher-expansion.ts      (needs bench/.cache from bench/face-calibration.ts)
 *
 * Prints one JSON line per configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, mainFace, type CorpusEntry } from './face-corpus';

const load = (c: string): CorpusEntry[] | null => {
  const file = path.join(CACHE_DIR, `${c}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};
const [train, extra, strangers] = ['lfw-train', 'lfw-train-extra', 'lfw-strangers'].map(load);
if (!train || !extra || !strangers) {
  console.log('matcher-expansion: skipped, run bench/face-calibration.ts first (it fills bench/.cache)');
  process.exit(0);
}
const D = 128;
const gallery = [...train, ...strangers].flatMap((e) => {
  const d = mainFace(e);
  return d ? [{ person: e.person, d }] : [];
});
const G = gallery.length;
const gx = new Float64Array(G * D);
gallery.forEach((g, i) => gx.set(g.d, i * D));
const ownCount = new Map<string, number>();
for (const e of train) ownCount.set(e.person, (ownCount.get(e.person) ?? 0) + 1);
const queries = new Map<string, number[][]>();
for (const e of extra) {
  const d = mainFace(e);
  if (d) queries.set(e.person, [...(queries.get(e.person) ?? []), d]);
}

function distances(q: ArrayLike<number>, excluded: Uint8Array): Float64Array {
  const out = new Float64Array(G);
  for (let i = 0; i < G; i++) {
    if (excluded[i]) {
      out[i] = Infinity;
      continue;
    }
    let s = 0;
    for (let j = 0; j < D; j++) s += (q[j] - gx[i * D + j]) ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

function weightedMean(vs: ArrayLike<number>[], w: number[]): Float64Array {
  const o = new Float64Array(D);
  const total = w.reduce((a, b) => a + b, 0);
  vs.forEach((v, k) => {
    for (let j = 0; j < D; j++) o[j] += (w[k] * v[j]) / total;
  });
  return o;
}

type Expansion = { reach: number; k: number; guard: number } | null;

/** Distances from the (expanded) query to every gallery face not excluded. */
function score(refs: number[][], excluded: Uint8Array, x: Expansion): Float64Array {
  const base = distances(
    weightedMean(
      refs,
      refs.map(() => 1),
    ),
    excluded,
  );
  if (!x) return base;
  let d = base;
  for (let round = 0; round < 2; round++) {
    const near: number[] = [];
    for (let i = 0; i < G; i++) if (d[i] < x.reach && base[i] < x.guard) near.push(i);
    const top = near.sort((a, b) => d[a] - d[b]).slice(0, x.k);
    const q = weightedMean(
      [...refs, ...top.map((i) => gx.subarray(i * D, (i + 1) * D))],
      [...refs.map(() => 1), ...top.map((i) => Math.sqrt(1 - d[i] / x.reach))],
    );
    d = distances(q, excluded);
  }
  return d;
}

function measure(name: string, x: Expansion) {
  const none = new Uint8Array(G);
  const present = [...queries].map(([person, refs]) => ({
    own: Uint8Array.from(gallery, (g) => (g.person === person ? 1 : 0)),
    d: score(refs, none, x),
    truth: ownCount.get(person) ?? 0,
  }));
  const at = (t: number) => {
    let tp = 0;
    let fp = 0;
    let truth = 0;
    for (const r of present) {
      truth += r.truth;
      for (let i = 0; i < G; i++) {
        if (r.d[i] >= t) continue;
        if (r.own[i]) tp++;
        else fp++;
      }
    }
    return { threshold: Math.round(t * 1e4) / 1e4, precision: tp / Math.max(1, tp + fp), recall: tp / truth, strangersPerPerson: fp / present.length };
  };
  let shown = at(0.2);
  let possible = at(0.2);
  for (let t = 0.2; t <= 0.8; t += 0.0025) {
    const r = at(t);
    if (r.precision >= 0.99) shown = r;
    if (r.strangersPerPerson <= 2) possible = r;
  }
  let absentShown = 0;
  let absentPossible = 0;
  for (const [person, refs] of queries) {
    const own = Uint8Array.from(gallery, (g) => (g.person === person ? 1 : 0));
    const d = score(refs, own, x);
    for (let i = 0; i < G; i++) {
      if (d[i] < shown.threshold) absentShown++;
      if (d[i] < possible.threshold) absentPossible++;
    }
  }
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  console.log(
    JSON.stringify({
      configuration: name,
      expansion: x,
      present: {
        people: present.length,
        shown: { ...shown, recall: round(shown.recall), precision: round(shown.precision) },
        possible: { ...possible, recall: round(possible.recall), precision: round(possible.precision) },
      },
      absent: { shownStrangersPerPerson: round(absentShown / queries.size), possibleStrangersPerPerson: round(absentPossible / queries.size) },
    }),
  );
}

measure('centroid (the matcher today)', null);
measure('expanded, unguarded', { reach: 0.5, k: 5, guard: Infinity });
for (const guard of [0.36, 0.38, 0.4, 0.42]) measure(`expanded, guard ${guard}`, { reach: 0.5, k: 5, guard });
