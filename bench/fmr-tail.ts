/**
 * The false-match rate's tail at registry scale (issue 16, part 1, the measurement): every pair of
 * different people the shared corpora give (LFW train, extra and strangers, AT&T; cross-fitted
 * cohorts as in bench/face-calibration.ts, so pairs with one fold-A and one fold-B stranger are
 * left out), in the product's distance (cohort-normalised, one photo against one photo). For each
 * threshold: false matches with a 95 % Wilson upper bound, and the false non-match rate on every
 * same-person pair. Then, for registries of 6,449, 100,000, 1 million and 10 million faces, the
 * largest threshold whose upper bound keeps the expected strangers per request within 0.01
 * (shown) and 1 (possible), or the statement that the data cannot support a rate that low.
 * Embeddings are cached in bench/.cache (bench/face-corpus.ts). Prints JSON lines.
 *
 *   node --import tsx bench/fmr-tail.ts [--threads 2]
 */
import { parseArgs } from 'node:util';
import { cohortDistance, normalisedDistance } from '@/lib/matcher/cohort';
import { cohortFor, foldCohorts, foldOf, type Fold } from './cohort-folds';
import { corpusAvailable, embedCorpus, mainFace, type CorpusEntry } from './face-corpus';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' } } });
if (!corpusAvailable()) {
  console.log('fmr-tail: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const print = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
const data: Record<string, CorpusEntry[]> = {};
for (const c of ['lfw-train', 'lfw-train-extra', 'lfw-strangers', 'att_faces']) data[c] = (await embedCorpus(c, Number(values.threads))).entries;
const cohorts = foldCohorts(data['lfw-strangers']);

type Face = { person: string; file: string; fold: Fold; d: Float64Array; mu: Record<'A' | 'B', number> };
const faces: Face[] = [];
for (const [corpus, entries] of Object.entries(data)) {
  for (const e of entries) {
    const d = mainFace(e);
    if (!d) continue;
    const person = `${corpus === 'att_faces' ? 'att' : 'lfw'}:${e.person}`;
    faces.push({ person, file: e.file, fold: foldOf(e), d: Float64Array.from(d), mu: { A: cohortDistance(d, cohorts.A), B: cohortDistance(d, cohorts.B) } });
  }
}

// Histograms of the normalised distance in steps of 0.0025 (0 to 1.5).
const STEP = 0.0025;
const BINS = 600;
const impostor = new Float64Array(BINS + 1);
const genuine = new Float64Array(BINS + 1);
let nImpostor = 0;
let nGenuine = 0;
/** Pairs of different people closer than this are listed: at such distances a "stranger" is more often the same person under two names. */
const LIST_BELOW = 0.32;
const closest: { d: number; a: string; b: string }[] = [];
for (let i = 0; i < faces.length; i++) {
  const a = faces[i];
  for (let j = i + 1; j < faces.length; j++) {
    const b = faces[j];
    const c = cohortFor(a.fold, b.fold);
    if (!c) continue;
    let s = 0;
    for (let k = 0; k < 128; k++) {
      const t = a.d[k] - b.d[k];
      s += t * t;
    }
    const d = normalisedDistance(Math.sqrt(s), a.mu[c], b.mu[c], cohorts[c].offset);
    const bin = Math.min(BINS, Math.max(0, Math.floor(d / STEP)));
    if (a.person === b.person) {
      genuine[bin]++;
      nGenuine++;
    } else {
      impostor[bin]++;
      nImpostor++;
      if (d < LIST_BELOW) closest.push({ d: Math.round(d * 1e4) / 1e4, a: a.file, b: b.file });
    }
  }
}
for (const c of closest.sort((x, y) => x.d - y.d)) print({ row: 'closest different-people pair', ...c });
print({ bench: 'fmr-tail', faces: faces.length, people: new Set(faces.map((f) => f.person)).size, impostorPairs: nImpostor, genuinePairs: nGenuine });

/** 95 % Wilson score upper bound of a rate from k events in n trials. */
function upper(k: number, n: number): number {
  const z = 1.96;
  const p = k / n;
  const denom = 1 + (z * z) / n;
  return (p + (z * z) / (2 * n) + z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
}
// Cumulative counts: distances strictly below the bin's upper edge.
const below = (h: Float64Array, bin: number) => h.subarray(0, bin + 1).reduce((s, v) => s + v, 0);
const table: { threshold: number; falseMatches: number; fmr: number; fmrUpper95: number; fnmr: number }[] = [];
for (let bin = 60; bin <= 280; bin += 4) {
  const fm = below(impostor, bin);
  table.push({
    threshold: Math.round((bin + 1) * STEP * 1e4) / 1e4,
    falseMatches: fm,
    fmr: fm / nImpostor,
    fmrUpper95: upper(fm, nImpostor),
    fnmr: 1 - below(genuine, bin) / nGenuine,
  });
}
for (const row of table) print({ row: 'threshold', ...row });

const floor = upper(0, nImpostor);
for (const faces of [6449, 100_000, 1_000_000, 10_000_000]) {
  const pick = (target: number) => {
    const need = target / faces;
    const ok = table.filter((r) => r.fmrUpper95 * faces <= target);
    const best = ok.at(-1);
    return need < floor
      ? { supported: false, neededFmr: need, dataFloor: floor, note: 'the data cannot show a rate this low: no threshold is supported' }
      : { supported: true, neededFmr: need, threshold: best?.threshold ?? null, fnmrThere: best?.fnmr ?? null };
  };
  print({ registry: faces, shown: pick(0.01), possible: pick(1) });
}
