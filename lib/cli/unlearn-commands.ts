import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from './commands';

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw Object.assign(new TypeError(`--${name} must be a number, got "${v}"`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return n;
};

function need(v: string | undefined, flag: string): string {
  if (!v) throw Object.assign(new TypeError(`${flag} is required`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return v;
}

async function loadCenter(file: string | undefined, d: number): Promise<Float64Array> {
  if (!file) return new Float64Array(d);
  const arr = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(arr) || arr.length !== d || !arr.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw Object.assign(new TypeError(`--center ${file} must be a JSON array of ${d} finite numbers`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  }
  return Float64Array.from(arr);
}

/** `forgetme unlearn …`: the contract for scripts and audits (README.md, "CLI"). */
export const UNLEARN_COMMANDS: Command[] = [
  {
    name: 'unlearn train',
    usage:
      'unlearn train --features F.jsonl --out DIR [--kind newton-certified|sisa] [--lambda L] [--sigma S] [--epsilon E] [--delta D] ' +
      '[--subsample R] [--subsample-seed N] [--subsample-by-label] [--shards N] [--slices N] [--shard-seed N] [--center C.json]',
    summary: 'Train a certified-removal model on face features; prints the training report.',
    run: async (args) => {
      const { values: v } = parseArgs({
        args,
        options: {
          features: { type: 'string' },
          out: { type: 'string' },
          kind: { type: 'string', default: 'newton-certified' },
          lambda: { type: 'string' },
          sigma: { type: 'string' },
          epsilon: { type: 'string' },
          delta: { type: 'string' },
          subsample: { type: 'string' },
          seed: { type: 'string' },
          'subsample-seed': { type: 'string' },
          'subsample-by-label': { type: 'boolean' },
          'shard-seed': { type: 'string' },
          shards: { type: 'string' },
          slices: { type: 'string' },
          center: { type: 'string' },
        },
      });
      if (v.seed !== undefined) {
        const why =
          '--seed is not accepted: the noise is drawn from a cryptographic source and kept secret; ' +
          '--subsample-seed (newton-certified) or --shard-seed (sisa) chooses the public assignment';
        throw Object.assign(new TypeError(why), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      }
      if (v.kind !== 'newton-certified' && v.kind !== 'sisa')
        throw Object.assign(new TypeError(`--kind must be newton-certified or sisa, got "${v.kind}"`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      const [{ readFeatures }, { trainNewton }, { saveModel, saveSisaModel }, { removalBudget }, { trainSisa }] = await Promise.all([
        import('@/lib/unlearning/features-file'),
        import('@/lib/unlearning/train'),
        import('@/lib/unlearning/model-file'),
        import('@/lib/unlearning/budget'),
        import('@/lib/unlearning/sisa'),
      ]);
      const samples = await readFeatures(need(v.features, '--features'));
      const out = need(v.out, '--out');
      const center = await loadCenter(v.center, samples.d);
      if (v.kind === 'sisa') {
        const started = performance.now();
        const params = {
          shards: num(v.shards, 'shards') ?? 4,
          slices: num(v.slices, 'slices') ?? 2,
          lambda: num(v.lambda, 'lambda') ?? 1e-4,
          shardSeed: num(v['shard-seed'], 'shard-seed') ?? 1,
        };
        const model = trainSisa(samples, center, params);
        const sha256 = saveSisaModel(out, model);
        console.log(
          JSON.stringify({
            kind: 'sisa',
            params,
            classes: model.classes.length,
            samples: model.ids.length,
            seconds: (performance.now() - started) / 1000,
            weightsSha256: sha256,
            out,
          }),
        );
        return 0;
      }
      const { model, report } = await trainNewton(samples, center, {
        lambda: num(v.lambda, 'lambda'),
        sigma: num(v.sigma, 'sigma'),
        epsilon: num(v.epsilon, 'epsilon'),
        delta: num(v.delta, 'delta'),
        subsample: num(v.subsample, 'subsample'),
        subsampleSeed: num(v['subsample-seed'], 'subsample-seed'),
        subsampleByLabel: v['subsample-by-label'] ? 1 : undefined,
      });
      const sha256 = saveModel(out, model, { residual: report.residual, budget: removalBudget(model.params) });
      console.log(JSON.stringify({ ...report, kind: model.kind, params: model.params, weightsSha256: sha256, out }));
      return 0;
    },
  },
  {
    name: 'unlearn remove',
    usage: 'unlearn remove --model DIR --ids IDS.txt --out DIR',
    summary: 'Remove samples (one id per line) with certified removal; writes the new version, prints the removal report.',
    run: async (args) => {
      const { values: v } = parseArgs({ args, options: { model: { type: 'string' }, ids: { type: 'string' }, out: { type: 'string' } } });
      const [{ readIds }, { loadAnyModel, saveModel, saveSisaModel }, { removeSamples }, { removeSisa }] = await Promise.all([
        import('@/lib/unlearning/features-file'),
        import('@/lib/unlearning/model-file'),
        import('@/lib/unlearning/remove'),
        import('@/lib/unlearning/sisa'),
      ]);
      const loaded = loadAnyModel(need(v.model, '--model'));
      const out = need(v.out, '--out');
      const ids = readIds(need(v.ids, '--ids'));
      if (loaded.json.kind === 'sisa' && loaded.model.kind === 'sisa') {
        const parent = loaded.json.files.checkpoints.sha256;
        const { model: next, report } = removeSisa(loaded.model, ids);
        console.log(JSON.stringify({ ...report, weightsSha256: saveSisaModel(out, next, { parent: { sha256: parent } }), parentSha256: parent, out }));
        return 0;
      }
      if (loaded.json.kind !== 'newton-certified' || loaded.model.kind !== 'newton-certified') throw new TypeError('unreachable');
      const { model, json } = loaded;
      const { model: next, report } = await removeSamples(model, ids, { consume: true });
      const sha256 = saveModel(out, next, { residual: report.residual, budget: report.budget, parent: { sha256: json.files.weights.sha256 } });
      console.log(JSON.stringify({ ...report, weightsSha256: sha256, parentSha256: json.files.weights.sha256, out }));
      return 0;
    },
  },
  {
    name: 'unlearn eval',
    usage: 'unlearn eval --model DIR --features F.jsonl',
    summary: 'Accuracy and per-class counts of a model on labelled features, as JSON.',
    run: async (args) => {
      const { values: v } = parseArgs({ args, options: { model: { type: 'string' }, features: { type: 'string' } } });
      const [{ readFeatures }, { loadAnyModel }, { accuracy }] = await Promise.all([
        import('@/lib/unlearning/features-file'),
        import('@/lib/unlearning/model-file'),
        import('@/lib/unlearning/evaluate'),
      ]);
      const { model } = loadAnyModel(need(v.model, '--model'));
      console.log(JSON.stringify(accuracy(model, await readFeatures(need(v.features, '--features')))));
      return 0;
    },
  },
  {
    name: 'unlearn predict',
    usage: 'unlearn predict --model DIR --features F.jsonl',
    summary: 'The top class and its probability for each sample, as JSON lines {"id", "label", "score"}.',
    run: async (args) => {
      const { values: v } = parseArgs({ args, options: { model: { type: 'string' }, features: { type: 'string' } } });
      const [{ readFeatures }, { loadAnyModel }, { predict }] = await Promise.all([
        import('@/lib/unlearning/features-file'),
        import('@/lib/unlearning/model-file'),
        import('@/lib/unlearning/predict'),
      ]);
      const { model } = loadAnyModel(need(v.model, '--model'));
      for (const p of predict(model, await readFeatures(need(v.features, '--features'), { requireLabels: false }))) console.log(JSON.stringify(p));
      return 0;
    },
  },
];
