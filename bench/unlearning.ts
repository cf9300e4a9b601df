/**
 * Unlearning benchmark: training, one-identity and single-photo removal, retraining from scratch
 * with the same code, accuracy, released residual vs budget and membership inference, on a
 * synthetic face-shaped set (K identities × per-identity samples, d = 128 or `--d`).
 * `--step-matrix-mb M` holds the model's per-class step matrices to M megabytes (default: the
 * product's 2,048); `--step-matrices cached|conjugate-gradient` overrides the choice (step-matrices.ts),
 * for comparisons. Retraining uses the same choice. `--subsample-by-label` draws each class's
 * negatives by label (`subsampleByLabel`: every photo of a label or none), so that one identity's
 * photos touch about r(K − 1) classes instead of nearly all.
 *
 *   node --import tsx bench/unlearning.ts [--identities 300] [--per 30] [--d 128] [--subsample 0.1] [--lambda 1e-4] [--sigma 0.1]
 *     [--step-matrix-mb M] [--step-matrices cached|conjugate-gradient] [--skip-noiseless] [--skip-photo] [--subsample-by-label]
 *   node --import tsx bench/unlearning.ts --lfw [--lambda 1e-4] [--sigma 0.01] [--subsample 1]
 *
 * With --lfw: face descriptors of ../shared/data/faces/lfw-train (199 identities) for training and
 * lfw-train-extra for testing, from bench/.cache (made by bench/face-calibration.ts), centred
 * with lib/faces/public-centre.json. Prints one JSON object; each stage's time and the process's
 * peak RSS so far go to stderr as it ends (a run at the issue's size takes hours). `--skip-photo`
 * leaves out the single-photo scenario (one retraining fewer). Each removal also reports its own
 * peak RSS above the RSS before it (`removePeakRssAboveMB`) beside the features' size, the engine's
 * working memory apart from the bench's copies of the data.
 *
 * Each removal consumes a copy of the trained model made before its clock starts, as the product's
 * worker consumes the model it has just loaded; retraining runs on the same worker threads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Samples } from '@/lib/unlearning/dataset';
import { mainFace, type CorpusEntry } from './face-corpus';
import { accuracy, membershipAuc, predictionAgreement, relativeDistance } from '@/lib/unlearning/evaluate';
import { removeSamples } from '@/lib/unlearning/remove';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { copyModel, subset, without } from '@/lib/unlearning/test-helpers';
import { trainNewton } from '@/lib/unlearning/train';

const { values } = parseArgs({
  options: {
    identities: { type: 'string', default: '300' },
    per: { type: 'string', default: '30' },
    subsample: { type: 'string', default: '0.1' },
    lambda: { type: 'string', default: '1e-4' },
    sigma: { type: 'string', default: '0.1' },
    epsilon: { type: 'string', default: '0.1' },
    delta: { type: 'string', default: '1e-6' },
    d: { type: 'string', default: '128' },
    'step-matrix-mb': { type: 'string' },
    'step-matrices': { type: 'string' },
    lfw: { type: 'boolean', default: false },
    'skip-noiseless': { type: 'boolean', default: false },
    'skip-photo': { type: 'boolean', default: false },
    'subsample-by-label': { type: 'boolean', default: false },
  },
});
const K = Number(values.identities);
const stepMatrixBudgetBytes = values['step-matrix-mb'] === undefined ? undefined : Number(values['step-matrix-mb']) * 1024 ** 2;
const forced = values['step-matrices'];
const methods = ['cached', 'conjugate-gradient'] as const;
const method = methods.find((m) => m === forced);
if (forced !== undefined && !method) throw new Error('--step-matrices is cached or conjugate-gradient');
const stepOptions = { stepMatrixBudgetBytes, stepMatrices: method };
const per = Number(values.per);
const params = {
  lambda: Number(values.lambda),
  sigma: Number(values.sigma),
  epsilon: Number(values.epsilon),
  delta: Number(values.delta),
  subsample: Number(values.subsample),
  subsampleSeed: 1,
  ...(values['subsample-by-label'] ? { subsampleByLabel: 1 } : {}),
};

let peak = 0;
let stagePeak = 0;
const sample = () => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  stagePeak = Math.max(stagePeak, rss);
};
const timer = setInterval(sample, 50);
const MB = (bytes: number) => Math.round(bytes / 2 ** 20);
const started = performance.now();
/** One line on stderr per stage: elapsed time since start, the stage's seconds, peak RSS so far. */
const progress = (stage: string, seconds: number) => console.error(`[${secs(started)} s] ${stage}: ${seconds} s, peak RSS ${MB(peak)} MB`);

function lfwSamples(corpus: string): Samples {
  const file = path.resolve('bench', '.cache', `${corpus}.json`);
  if (!fs.existsSync(file)) {
    console.log(`unlearning --lfw: skipped, ${file} is missing (run bench/face-calibration.ts first)`);
    process.exit(0);
  }
  const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as CorpusEntry[];
  const kept = entries.filter((e) => e.faces.length);
  return { ids: kept.map((e) => e.file), labels: kept.map((e) => e.person), x: Float64Array.from(kept.flatMap((e) => mainFace(e)!)), d: 128 };
}

function secs(t: number) {
  return Math.round(performance.now() - t) / 1000;
}

let all: { centre: Float64Array };
let train: Samples;
let test: Samples;
if (values.lfw) {
  const centre = JSON.parse(fs.readFileSync(path.resolve('lib/faces/public-centre.json'), 'utf8')).centre as number[];
  all = { centre: Float64Array.from(centre) };
  train = lfwSamples('lfw-train');
  const known = new Set(train.labels);
  test = subset(lfwSamples('lfw-train-extra'), (i, s) => known.has(s.labels[i]));
} else {
  const synthetic = syntheticFaces({ identities: K, perIdentity: per + 5, d: Number(values.d), seed: 42 });
  // Only the centre is kept of the whole set: at a million photos its float64 copy is 4 GB.
  all = { centre: synthetic.centre };
  train = subset(synthetic, (i) => i % (per + 5) < per);
  test = subset(synthetic, (i) => i % (per + 5) >= per);
}

const t = performance.now();
const trained = await trainNewton(train, all.centre, params, stepOptions);
const trainSeconds = secs(t);
progress(`trained ${train.ids.length} × ${K} × ${train.d} (${trained.report.stepMatrices.method})`, trainSeconds);
const noiseless = values['skip-noiseless'] ? null : (await trainNewton(train, all.centre, { ...params, sigma: 1e-12 }, { tolerance: 1e-10 })).model;

/** The same removal keeping the old noise (what the fresh draw of every release costs); only its figures outlive it. */
async function removedKeepingNoise(ids: string[]) {
  const input = copyModel(trained.model);
  const t0 = performance.now();
  const kept = await removeSamples(input, ids, { consume: true, noise: 'keep' });
  return { seconds: secs(t0), classSteps: kept.report.classSteps };
}

async function scenario(name: string, ids: string[]) {
  // The product's worker removes from a model it has just loaded, consuming it; here a copy of the
  // trained model (made before the clock starts) plays that part.
  const input = copyModel(trained.model);
  sample();
  const rssBefore = process.memoryUsage().rss;
  stagePeak = rssBefore;
  const t0 = performance.now();
  const removed = await removeSamples(input, ids, { consume: true });
  const removeSeconds = secs(t0);
  sample();
  const removePeakRssAboveMB = MB(stagePeak - rssBefore);
  progress(`${name}: removed ${ids.length}`, removeSeconds);
  const kept = await removedKeepingNoise(ids);
  progress(`${name}: removed keeping the noise`, kept.seconds);
  const t1 = performance.now();
  const retrained = (await trainNewton(without(train, new Set(ids)), all.centre, params, { noise: removed.model.noise, ...stepOptions })).model;
  const retrainSeconds = secs(t1);
  progress(`${name}: retrained`, retrainSeconds);
  const removedSamples = subset(train, (i) => ids.includes(train.ids[i]));
  const label = removedSamples.labels[0];
  const heldOut = subset(test, (i) => test.labels[i] === label);
  return {
    name,
    removed: ids.length,
    removeSeconds,
    removeSecondsNoiseKept: kept.seconds,
    classStepsNoiseKept: kept.classSteps,
    removePeakRssAboveMB,
    retrainSeconds,
    speedup: Math.round((retrainSeconds / removeSeconds) * 10) / 10,
    method: removed.report.method,
    steps: removed.report.steps,
    classSteps: removed.report.classSteps,
    hessiansRebuilt: removed.report.hessiansRebuilt,
    stepMatrices: removed.report.stepMatrices,
    cgProducts: removed.report.cgProducts,
    classesTouched: removed.report.classesTouched,
    residual: removed.report.residual,
    budget: removed.report.budget,
    paperBound: removed.report.paperBound,
    accuracyAfter: accuracy(removed.model, test).accuracy,
    accuracyRetrained: accuracy(retrained, test).accuracy,
    agreementWithRetrained: predictionAgreement(removed.model, retrained, test),
    distanceToRetrained: relativeDistance(removed.model, retrained),
    membershipAucAfter: membershipAuc(removed.model, removedSamples, heldOut),
    membershipAucRetrained: membershipAuc(retrained, removedSamples, heldOut),
    membershipAucBefore: membershipAuc(trained.model, removedSamples, heldOut),
    timings: removed.report.seconds,
  };
}

// People with held-out photos, so the identity test and membership inference have something to test.
const person = test.labels[Math.floor(test.ids.length / 2)];
const photoOf = train.ids.find((_, i) => train.labels[i] === test.labels[0])!;
const identity = await scenario(
  'one identity',
  train.ids.filter((_, i) => train.labels[i] === person),
);
const photo = values['skip-photo'] ? null : await scenario('single photo', [photoOf]);
clearInterval(timer);
sample();
console.log(
  JSON.stringify(
    {
      data: {
        source: values.lfw ? 'lfw-train / lfw-train-extra (face-api descriptors)' : 'synthetic',
        identities: new Set(train.labels).size,
        trainSamples: train.ids.length,
        testSamples: test.ids.length,
        d: train.d,
      },
      params,
      trainSeconds,
      trainResidual: trained.report.residual,
      budget: trained.report.budget,
      newtonIterations: trained.report.newtonIterations,
      stepMatrices: trained.report.stepMatrices,
      accuracy: accuracy(trained.model, test).accuracy,
      accuracyNoiseless: noiseless ? accuracy(noiseless, test).accuracy : 'skipped',
      featuresMB: MB(train.x.byteLength),
      /** The model's preprocessed rows (n × (d + 1) float32), what the engine keeps of the features. */
      preprocessedFeaturesMB: MB(trained.model.x.byteLength),
      scenarios: photo ? [identity, photo] : [identity],
      peakRssMB: Math.round(peak / 2 ** 20),
    },
    null,
    2,
  ),
);
