/**
 * A second opinion (issue 16, part 3): does @vladmandic/human's FaceRes descriptor (1024-d, shipped
 * inside the npm package) lower the false-match rate at equal recall when fused with the matcher's?
 * Each shared-corpus photo's main face (the box the face engine found, 20 % margin, 224 × 224, as
 * human feeds FaceRes) is described by FaceRes (cached in bench/.cache/faceres-*.json). Pairs: every
 * same-person pair, and every different-people pair of one photo from each of 800 people against
 * every other photo (cross-fitted cohorts as in bench/fmr-tail.ts). Scores: the matcher's
 * cohort-normalised distance; FaceRes cosine distance; their fusion (each z-scored on the
 * different-people pairs, weighted 0.1 to 0.5 for FaceRes). For each, the false-match rate at the thresholds that keep
 * 90 %, 95 % and 99 % of same-person pairs, where the pairs can be counted; then, at the rates the
 * tiers work at on large registries (1e-5 to 1e-9, far below what 4 million pairs can count), the
 * share of same-person pairs kept at the threshold that lib/matcher/tail-fit.ts's lower-tail line
 * (and its conservative line, bootstrapped over the probe people) puts at that rate: the
 * comparison at equal false-match rate that decides adoption, extrapolated, as the product's
 * thresholds are. Last, where a second opinion would pay for labels: each lfw-train-extra person
 * (up to 3 references, their centroid) against every lfw-train and fold-B stranger label's template,
 * the matcher's normalised distance (cohort A, as the product) and FaceRes's (cosine of the
 * normalised means): FaceRes's distances by label size, and the labels in the band where the
 * matcher's template distance cannot tell genuine labels from lookalikes' (0.38 to 0.47).
 *
 *   node --import tsx bench/fused-descriptor.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type * as tfjs from '@tensorflow/tfjs';
import { faceApi, tfOf } from '@/lib/faces/face-api';
import { cohortDistance, normalisedDistance } from '@/lib/matcher/cohort';
import { fitLowerTail, thresholdAt } from '@/lib/matcher/tail-fit';
import { cohortFor, foldCohorts, foldOf, type Fold } from './cohort-folds';
import { CACHE_DIR, corpusAvailable, embedCorpus, FACES_DIR, mainFace, type CorpusEntry } from './face-corpus';

if (!corpusAvailable()) {
  console.log('fused-descriptor: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const print = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
const api = await faceApi();
const tf = tfOf(api);
const dir = path.resolve('node_modules/@vladmandic/human/models');
const m = JSON.parse(fs.readFileSync(path.join(dir, 'faceres.json'), 'utf8'));
const bin = fs.readFileSync(path.join(dir, 'faceres.bin'));
const faceres = await tf.loadGraphModel(
  tf.io.fromMemory({
    modelTopology: m.modelTopology,
    weightSpecs: m.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    format: m.format,
    signature: m.signature,
  }),
);

/** FaceRes's descriptor of the face in `box` (x, y, w, h) of the photo, unit length. */
async function describe(file: string, box: number[]): Promise<number[]> {
  const img = sharp(file).removeAlpha().toColourspace('srgb');
  const meta = await img.metadata();
  const margin = 0.2 * Math.max(box[2], box[3]);
  const left = Math.max(0, Math.round(box[0] - margin));
  const top = Math.max(0, Math.round(box[1] - margin));
  const width = Math.min(meta.width! - left, Math.round(box[2] + 2 * margin));
  const height = Math.min(meta.height! - top, Math.round(box[3] + 2 * margin));
  const { data } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .extract({ left, top, width, height })
    .resize(224, 224)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const input = tf.tensor4d(new Float32Array(data), [1, 224, 224, 3]);
  const outputs = faceres.execute(input) as tfjs.Tensor[];
  const d = outputs.find((t) => t.shape[1] === 1024)!;
  const v = Array.from(await d.data());
  tf.dispose([input, ...outputs]);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

type Face = { corpus: string; person: string; fold: Fold; api: Float64Array; mu: Record<'A' | 'B', number>; res: Float32Array };
const data: Record<string, CorpusEntry[]> = {};
for (const c of ['lfw-train', 'lfw-train-extra', 'lfw-strangers']) data[c] = (await embedCorpus(c, 2)).entries;
const cohorts = foldCohorts(data['lfw-strangers']);
const faces: Face[] = [];
const started = performance.now();
for (const [corpus, entries] of Object.entries(data)) {
  const cache = path.join(CACHE_DIR, `faceres-${corpus}.json`);
  const cached: Record<string, number[]> = fs.existsSync(cache) ? JSON.parse(fs.readFileSync(cache, 'utf8')) : {};
  for (const e of entries) {
    const d = mainFace(e);
    if (!d) continue;
    const box = e.faces.find((f) => f.descriptor === d)!.box;
    cached[e.file] ??= await describe(path.join(FACES_DIR, e.file), box);
    faces.push({
      corpus,
      person: e.person,
      fold: foldOf(e),
      api: Float64Array.from(d),
      mu: { A: cohortDistance(d, cohorts.A), B: cohortDistance(d, cohorts.B) },
      res: Float32Array.from(cached[e.file]),
    });
  }
  fs.writeFileSync(cache, JSON.stringify(cached));
}
print({ bench: 'fused-descriptor', faces: faces.length, embedSeconds: Math.round((performance.now() - started) / 1000) });

const apiDistance = (a: Face, b: Face): number | null => {
  const c = cohortFor(a.fold, b.fold);
  if (!c) return null;
  let s = 0;
  for (let i = 0; i < 128; i++) s += (a.api[i] - b.api[i]) ** 2;
  return normalisedDistance(Math.sqrt(s), a.mu[c], b.mu[c], cohorts[c].offset);
};
const resDistance = (a: Face, b: Face) => {
  let s = 0;
  for (let i = 0; i < 1024; i++) s += a.res[i] * b.res[i];
  return 1 - s;
};

// Same-person pairs, all; different-people pairs: one photo of each of 800 people against every other photo.
const genuine: [number, number][] = [];
const impostor: [number, number][] = [];
const impostorProbe: number[] = [];
const byPerson = new Map<string, number[]>();
faces.forEach((f, i) => byPerson.set(f.person, [...(byPerson.get(f.person) ?? []), i]));
const people = [...byPerson.keys()].sort();
for (const ids of byPerson.values()) {
  for (let x = 0; x < ids.length; x++)
    for (let y = x + 1; y < ids.length; y++) {
      const d = apiDistance(faces[ids[x]], faces[ids[y]]);
      if (d !== null) genuine.push([d, resDistance(faces[ids[x]], faces[ids[y]])]);
    }
}
const step = Math.max(1, Math.floor(people.length / 800));
for (let p = 0; p < people.length; p += step) {
  const a = faces[byPerson.get(people[p])![0]];
  for (const b of faces) {
    if (b.person === a.person) continue;
    const d = apiDistance(a, b);
    if (d === null) continue;
    impostor.push([d, resDistance(a, b)]);
    impostorProbe.push(p / step); // dense probe numbers, for the bootstrap
  }
}
const stats = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) };
};
const [za, zr] = [stats(impostor.map((p) => p[0])), stats(impostor.map((p) => p[1]))];
/** The fusion: z-scores weighted (1 − w) for the matcher's distance and w for FaceRes's. */
const fused = (w: number) => (p: [number, number]) => (1 - w) * ((p[0] - za.mean) / za.sd) + w * ((p[1] - zr.mean) / zr.sd);
const scores: Record<string, (p: [number, number]) => number> = {
  'face-api (the matcher)': (p) => p[0],
  FaceRes: (p) => p[1],
  ...Object.fromEntries([0.1, 0.2, 0.3, 0.5].map((w) => [`fused, FaceRes weight ${w}`, fused(w)])),
};
print({ genuinePairs: genuine.length, impostorPairs: impostor.length });
for (const [name, f] of Object.entries(scores)) {
  const g = genuine.map(f).sort((a, b) => a - b);
  const imp = impostor.map(f).sort((a, b) => a - b);
  const fmrAtRecall = (recall: number) => {
    const t = g[Math.floor(recall * (g.length - 1))];
    let k = 0;
    while (k < imp.length && imp[k] <= t) k++;
    return { falseMatches: k, fmr: k / imp.length };
  };
  print({ score: name, atRecall90: fmrAtRecall(0.9), atRecall95: fmrAtRecall(0.95), atRecall99: fmrAtRecall(0.99) });
}

// At the tiers' operating rates: the lower tail fitted (25 pairs up to 5 %, 200 bootstrap
// replicates over the probe people, as bench/fmr-tail.ts) and each rate's threshold read from it.
const groups = Int32Array.from(impostorProbe);
for (const name of ['face-api (the matcher)', 'fused, FaceRes weight 0.1', 'fused, FaceRes weight 0.2', 'fused, FaceRes weight 0.3']) {
  const f = scores[name];
  const fit = fitLowerTail(Float64Array.from(impostor, f), groups, { minCount: 25, bootstrap: 200, seed: 16 });
  const g = genuine.map(f);
  const kept = (t: number) => Math.round((g.filter((x) => x < t).length / g.length) * 1e4) / 1e4;
  const at = Object.fromEntries(
    [1e-5, 1e-7, 1e-9].map((fmr) => [fmr, { recall: kept(thresholdAt(fit, fmr)), recallConservative: kept(thresholdAt(fit.conservative, fmr)) }]),
  );
  print({ score: name, tailFitted: fit.range, checks: fit.checks, atRate: at });
}

// Labels: the band where the large-label rule (lib/matcher/registry-thresholds.ts) costs genuine labels.
const mean = (xs: ArrayLike<number>[]) => Array.from({ length: xs[0].length }, (_, i) => xs.reduce((s, x) => s + x[i], 0) / xs.length);
const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
const side = (fs: Face[]) => {
  const api = mean(fs.map((f) => f.api));
  return { n: fs.length, api, mu: cohortDistance(api, cohorts.A), res: unit(mean(fs.map((f) => f.res))) };
};
const byLabel = new Map<string, Face[]>();
const byRefs = new Map<string, Face[]>();
for (const f of faces) {
  if (f.fold === 'A') continue;
  const m = f.corpus === 'lfw-train-extra' ? byRefs : byLabel;
  m.set(f.person, [...(m.get(f.person) ?? []), f]);
}
const templates = [...byLabel].map(([person, fs]) => ({ person, ...side(fs) }));
const pairs: { genuine: boolean; n: number; api: number; res: number; name: string }[] = [];
for (const [person, fs] of byRefs) {
  const me = side(fs.slice(0, 3));
  for (const t of templates) {
    const api = normalisedDistance(Math.hypot(...me.api.map((x, i) => x - t.api[i])), me.mu, t.mu, cohorts.A.offset);
    const res = 1 - me.res.reduce((s, x, i) => s + x * t.res[i], 0);
    pairs.push({ genuine: t.person === person, n: t.n, api, res, name: `${person} ~ ${t.person} (${t.n})` });
  }
}
const quantile = (xs: number[], p: number) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))] * 1e3) / 1e3;
for (const [lo, hi] of [
  [5, 9],
  [10, 10_000],
]) {
  const of = pairs.filter((p) => p.n >= lo && p.n <= hi);
  const g = of.filter((p) => p.genuine).map((p) => p.res);
  const imp = of.filter((p) => !p.genuine).map((p) => p.res);
  const band = of.filter((p) => p.api >= 0.38 && p.api < 0.47).sort((a, b) => a.res - b.res);
  print({
    labels: `${lo}-${hi} photos`,
    faceResTemplate: {
      genuine: { n: g.length, q50: quantile(g, 0.5), q90: quantile(g, 0.9), max: quantile(g, 1) },
      impostor: { n: imp.length, q1e4: quantile(imp, 1e-4), q1e3: quantile(imp, 1e-3), q50: quantile(imp, 0.5) },
    },
    band: band.map((p) => `${p.genuine ? 'genuine' : 'lookalike'} ${p.name}: matcher ${p.api.toFixed(3)}, FaceRes ${p.res.toFixed(3)}`),
  });
}
