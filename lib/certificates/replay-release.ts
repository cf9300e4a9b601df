import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { releaseTarget, removalBudget } from '@/lib/unlearning/budget';
import { removedItemsDigest, trainingManifestDigest } from '@/lib/unlearning/commitments';
import { exactResidual } from '@/lib/unlearning/exact-residual';
import { loadAnyModel, type LoadedModel } from '@/lib/unlearning/model-file';
import { noiseCommitment } from '@/lib/unlearning/secret-noise';
import type { PredicateV2 } from './predicate';
import type { Check } from './verify-bundle';

type Entry = PredicateV2['models'][number];

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const read = (dir: string, file: string) => {
  const p = path.join(/*turbopackIgnore: true*/ dir, file);
  return fs.existsSync(p) ? fs.readFileSync(p) : null;
};

/**
 * An auditor's replay of one model's release from the stored files of the versions before and
 * after (plain model directories, the noise unsealed): every commitment of the certificate checked
 * against the files, the training manifests and the removed items recomputed, and the released
 * model's gradient residual recomputed on the remaining data with the committed noise and compared
 * with ε′. Returns one check per claim; nothing here trusts the platform's database.
 */
export function replayRelease(opts: { beforeDir: string; afterDir: string; entry: Entry }): Check[] {
  const { entry } = opts;
  const checks: Check[] = [];
  const add = (id: string, label: string, ok: boolean, detail: string) =>
    checks.push({ id: `${entry.modelId}:${id}`, label: `${entry.modelName} v${entry.after.version}: ${label}`, ok, detail });
  const r = entry.release;
  if (!r) {
    add('release', 'Release', entry.before.version === entry.after.version, 'No release: none of the items were in the model (held out); nothing to replay.');
    return checks;
  }
  const c = r.commitments;
  const sides = [
    ['before', opts.beforeDir, c.modelJsonBefore, c.filesBefore, c.noiseBefore],
    ['after', opts.afterDir, c.modelJsonAfter, c.filesAfter, c.noiseAfter],
  ] as const;
  for (const [side, dir, modelJson, files, noise] of sides) {
    const json = read(dir, 'model.json');
    add(
      `model-json-${side}`,
      `model.json ${side}`,
      !!json && sha256(json) === modelJson,
      json ? `sha256 ${sha256(json)}, committed ${modelJson}` : 'model.json is missing',
    );
    const bad = Object.entries(files).filter(([file, digest]) => {
      const bytes = read(dir, file);
      return !bytes || sha256(bytes) !== digest;
    });
    const detail = bad.length ? `changed or missing: ${bad.map(([f]) => f).join(', ')}` : `${Object.keys(files).length} files match their committed sha256`;
    add(`files-${side}`, `Model files ${side}`, bad.length === 0, detail);
    if (noise) {
      const b = read(dir, 'noise.f64');
      const salt = read(dir, 'noise-salt.bin');
      const got = b && salt && salt.length === 32 ? noiseCommitment(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), salt) : null;
      add(
        `noise-${side}`,
        `Noise commitment ${side}`,
        got === noise,
        got === noise ? `SHA-256(domain ‖ salt ‖ b) = ${noise}` : 'the stored noise or its salt does not open the committed commitment',
      );
    }
  }
  const weights = read(opts.afterDir, entry.method === 'sisa' ? 'checkpoints.f64' : 'weights.f64');
  add(
    'weights',
    'Released weights',
    !!weights && sha256(weights) === entry.after.weightsSha256,
    "the certificate's subject digest against the stored weights file",
  );

  let before: LoadedModel;
  let released: LoadedModel;
  try {
    before = loadAnyModel(opts.beforeDir);
    released = loadAnyModel(opts.afterDir);
  } catch (err) {
    add('load', 'Model files readable', false, `the stored files do not form a valid model: ${(err as Error).message}`);
    return checks;
  }
  const manifest = (m: LoadedModel) => trainingManifestDigest(m.model.ids, m.model.label, m.model.classes);
  add('manifest-before', 'Training manifest before', manifest(before) === c.trainingManifestBefore, 'recomputed from the stored sample ids and labels');
  add('manifest-after', 'Training manifest after', manifest(released) === c.trainingManifestAfter, 'recomputed from the stored sample ids and labels');
  const kept = new Set(released.model.ids);
  const removed = before.model.ids.filter((id) => !kept.has(id));
  const had = new Set(before.model.ids);
  const gained = released.model.ids.filter((id) => !had.has(id));
  const itemsOk = removedItemsDigest(removed) === c.removedItems && gained.length === 0 && removed.length === entry.samplesRemoved;
  add('removed', 'Removed items', itemsOk, `${removed.length} sample(s) left the model (certificate: ${entry.samplesRemoved}), ${gained.length} joined`);
  const paramsOk = Object.entries(r.params).every(([k, v]) => (released.model.params as Record<string, number>)[k] === v);
  add(
    'params',
    'Parameters',
    paramsOk,
    paramsOk ? 'the released model was made with the committed parameters' : "the stored model's parameters differ from the committed ones",
  );

  if (released.model.kind === 'sisa') {
    add('residual', 'Exact removal', true, 'SISA retrains the affected shards: exact, no residual to recompute');
    return checks;
  }
  const residual = exactResidual(released.model);
  const budget = removalBudget(released.model.params);
  const target = releaseTarget(budget);
  add(
    'residual',
    'Gradient residual within ε′',
    residual <= target,
    `‖∇L_b(w; D′)‖ recomputed = ${residual.toExponential(4)} ` +
      `(certificate: ${entry.guarantee.residual?.toExponential(4) ?? 'none'}), ε′ = ${budget.toExponential(4)}`,
  );
  return checks;
}
