import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/config/env';
import { getBlob, putBlob } from '@/lib/blobs/blob-store';
import { loadAnyModel, saveModel, saveSisaModel, type LoadedModel } from '@/lib/unlearning/model-file';
import type { NewtonModel } from '@/lib/unlearning/model';
import type { SisaModel } from '@/lib/unlearning/sisa';

function scratch(name: string): string {
  const dir = path.join(env().dataDir, 'tmp', 'models', name);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  return dir;
}

/**
 * Stores a model's directory (lib/unlearning's format: model.json, weights, caches) as blobs and
 * returns { file name: sha256 } and the weights' digest. Only the weights and model.json are ever
 * served; the noise, the Hessians and the training features stay on the platform.
 */
export async function storeModelFiles(model: NewtonModel | SisaModel, meta: { parentSha256: string | null; residual?: number; budget?: number }): Promise<{ files: Record<string, string>; weightsSha256: string }> {
  const dir = scratch(`store-${process.pid}-${crypto.randomUUID()}`);
  try {
    const parent = meta.parentSha256 ? { sha256: meta.parentSha256 } : null;
    const weightsSha256 = model.kind === 'sisa' ? saveSisaModel(dir, model, { parent }) : saveModel(dir, model, { parent, residual: meta.residual ?? 0, budget: meta.budget ?? 1 });
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(dir)) files[f] = (await putBlob(fs.readFileSync(path.join(dir, f)))).sha256;
    return { files, weightsSha256 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Loads a stored version (every file's digest is checked by the blob store and by model.json). */
export async function loadModelFiles(files: Record<string, string>): Promise<LoadedModel> {
  const dir = scratch(`load-${process.pid}-${crypto.randomUUID()}`);
  fs.mkdirSync(dir, { recursive: true });
  try {
    for (const [name, sha] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), await getBlob(sha));
    return loadAnyModel(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The file that holds the weights a partner deploys: `weights.f64` (newton-certified) or the SISA checkpoints. */
export function weightsFileName(files: Record<string, string>): string {
  const name = Object.keys(files).find((f) => f.startsWith('weights.')) ?? Object.keys(files).find((f) => f.startsWith('checkpoints.'));
  if (!name) throw new Error('model version without weights');
  return name;
}
