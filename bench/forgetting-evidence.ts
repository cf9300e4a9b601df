/**
 * Per-person evidence of forgetting (lib/unlearning/forgetting-evidence.ts), falsified: for each of
 * several people, the test applied to the correct release, to a head retrained without the photos,
 * to the original model released unchanged, and to a single unconverged Newton step; with its cost
 * against the removal's own time.
 *
 *   node --import tsx bench/forgetting-evidence.ts --lfw [--people 10]
 *   node --import tsx bench/forgetting-evidence.ts [--identities 1000 --per 100 --subsample 0.1] [--people 3] [--no-retrain]
 *
 * --lfw: lfw-train descriptors (embedded on every core and cached in bench/.cache, as
 * bench/face-calibration.ts does), centred with lib/faces/public-centre.json; each person loses
 * half of their photos. Synthetic: a face-shaped set (d = 128); each person loses half of theirs.
 * λ = 1e-4, σ = 0.01, ε = 0.1, δ = 1e-6 and no subsampling (the product's defaults) unless --subsample.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Samples } from '@/lib/unlearning/dataset';
import { forgettingEvidence, photosOf, type ForgettingEvidence } from '@/lib/unlearning/forgetting-evidence';
import type { NewtonModel } from '@/lib/unlearning/model';
import { removeSamples } from '@/lib/unlearning/remove';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { copyModel, without } from '@/lib/unlearning/test-helpers';
import { trainNewton } from '@/lib/unlearning/train';
import { corpusAvailable, embedCorpus, mainFace } from './face-corpus';

const { values } = parseArgs({
  options: {
    lfw: { type: 'boolean', default: false },
    identities: { type: 'string', default: '300' },
    per: { type: 'string', default: '30' },
    people: { type: 'string', default: '5' },
    subsample: { type: 'string', default: '1' },
    'no-retrain': { type: 'boolean', default: false },
  },
});
const params = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: Number(values.subsample), subsampleSeed: 1 };

async function data(): Promise<{ train: Samples; centre: Float64Array; source: string }> {
  if (!values.lfw) {
    const s = syntheticFaces({ identities: Number(values.identities), perIdentity: Number(values.per), d: 128, seed: 42 });
    return { train: s, centre: s.centre, source: `synthetic ${values.identities} × ${values.per}` };
  }
  if (!corpusAvailable()) {
    console.log('forgetting-evidence --lfw: skipped, ../shared/data/faces is missing');
    process.exit(0);
  }
  const { entries } = await embedCorpus('lfw-train', os.availableParallelism());
  const kept = entries.filter((e) => mainFace(e));
  const centre = Float64Array.from(JSON.parse(fs.readFileSync(path.resolve('lib/faces/public-centre.json'), 'utf8')).centre as number[]);
  const train = { ids: kept.map((e) => e.file), labels: kept.map((e) => e.person), x: Float64Array.from(kept.flatMap((e) => mainFace(e)!)), d: 128 };
  return { train, centre, source: 'lfw-train (face-api descriptors)' };
}

const { train, centre, source } = await data();
const t0 = performance.now();
const model = (await trainNewton(train, centre, params)).model;
const trainSeconds = (performance.now() - t0) / 1000;

// People with at least 4 photos, spread over the label order.
const counts = new Map<string, number>();
for (const l of train.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
const eligible = [...counts.entries()].filter(([, n]) => n >= 4).map(([l]) => l);
const people = Array.from(
  { length: Math.min(Number(values.people), eligible.length) },
  (_, i) => eligible[Math.floor((i * eligible.length) / Number(values.people))],
);

const summary = (e: ForgettingEvidence) => ({
  verdict: e.released.verdict,
  pValue: round(e.released.pValue),
  deviationPValue: round(e.released.deviationPValue),
  epsilonLowerBound: e.empiricalEpsilon,
  powerAuc: round(e.power.auc),
  seconds: round(e.seconds),
});
const round = (v: number) => Math.round(v * 1000) / 1000;
/** The model's rows for the release's classes (a dropped class's row left out), with its noise. */
const asRelease = (m: NewtonModel, release: NewtonModel) => {
  const D = m.d + 1;
  const rows = release.classes.map((c) => m.classes.indexOf(c));
  const pick = (a: Float64Array) => Float64Array.from(rows.flatMap((k) => Array.from(a.subarray(k * D, (k + 1) * D))));
  return { weights: pick(m.weights), noise: pick(m.noise) };
};

async function scenario(person: string) {
  const all = train.ids.filter((_, i) => train.labels[i] === person);
  const ids = all.slice(0, Math.ceil(all.length / 2));
  const photos = photosOf(model, ids);
  const tr = performance.now();
  const released = await removeSamples(copyModel(model), ids, { consume: true });
  const removeSeconds = (performance.now() - tr) / 1000;
  const correct = forgettingEvidence(released.model, photos);
  const unchanged = forgettingEvidence(released.model, photos, { target: asRelease(model, released.model) });
  const one = await removeSamples(copyModel(model), ids, { consume: true, maxSteps: 1, fallback: false, rebuildHessians: false });
  const oneStep = forgettingEvidence(released.model, photos, { target: { weights: one.model.weights, noise: one.model.noise } });
  let retrained: ForgettingEvidence | null = null;
  if (!values['no-retrain']) {
    const r = (await trainNewton(without(train, new Set(ids)), centre, params)).model;
    retrained = forgettingEvidence(released.model, photos, { target: { weights: r.weights, noise: r.noise } });
  }
  return {
    person,
    photos: ids.length,
    of: all.length,
    removeSeconds: round(removeSeconds),
    removal: released.report.method,
    evidenceShareOfRemoval: round(correct.seconds / removeSeconds),
    correct: summary(correct),
    retrained: retrained && summary(retrained),
    unchanged: summary(unchanged),
    oneStep: { ...summary(oneStep), residualOverBudget: round(one.report.residual / one.report.budget) },
  };
}
const results: Awaited<ReturnType<typeof scenario>>[] = [];
for (const person of people) results.push(await scenario(person));
const count = (k: 'correct' | 'retrained' | 'unchanged' | 'oneStep') => results.filter((r) => r[k]?.verdict === 'flagged').length;
console.log(
  JSON.stringify(
    {
      data: { source, identities: model.classes.length, samples: model.ids.length, d: 128 },
      params,
      trainSeconds: round(trainSeconds),
      flagged: {
        correct: count('correct'),
        retrained: values['no-retrain'] ? 'not run' : count('retrained'),
        unchanged: count('unchanged'),
        oneStep: count('oneStep'),
        of: results.length,
      },
      results,
    },
    null,
    2,
  ),
);
