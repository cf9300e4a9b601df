import { getBlob } from '@/lib/blobs/blob-store';
import type { ModelVersion } from '@/db/schema';
import { weightsFileName } from './version-files';

/**
 * The public part of a version's model.json, enough to use the weights without our code: the
 * layout of the weights, the class labels in row order, the centring vector. The noise, its seed,
 * the Hessians and the training features are never published.
 */
export async function versionManifest(v: ModelVersion): Promise<Record<string, unknown>> {
  const json = JSON.parse((await getBlob(v.files['model.json'])).toString('utf8')) as Record<string, unknown> & {
    files: Record<string, { file: string; sha256: string; bytes: number }>;
    params: Record<string, number>;
    d: number;
    K: number;
  };
  const centreFile = Object.values(json.files).find((f) => f.file.startsWith('center.'));
  const centre = centreFile ? Array.from(new Float64Array(new Uint8Array(await getBlob(v.files[centreFile.file])).buffer)) : null;
  const weights = weightsFileName(v.files);
  const entry = Object.values(json.files).find((f) => f.file === weights)!;
  const { seed: _seed, ...params } = json.params;
  const presentFile = Object.values(json.files).find((f) => f.file.startsWith('present.'));
  const present = presentFile ? Array.from(new Uint8Array(await getBlob(v.files[presentFile.file]))) : null;
  return {
    format: json.format,
    formatVersion: json.formatVersion,
    kind: json.kind,
    version: v.version,
    d: json.d,
    K: json.K,
    classes: json.classes,
    params,
    budgetUsed: v.budgetUsed,
    preprocessing: 'u = (v − center) / ‖v − center‖ for a descriptor v; x = [u, 1] / √2; score_k = weights[k] · x; probability 1 / (1 + e^(−score))',
    center: centre,
    weights: {
      ...entry,
      dtype: 'float64-le',
      shape: json.kind === 'sisa' ? [json.params.shards, json.params.slices, json.K, json.d + 1] : [json.K, json.d + 1],
      layout:
        json.kind === 'sisa'
          ? "per shard, per slice checkpoint, K rows of d + 1: use each shard's last slice; " +
            'a class scores the mean over the shards where `present` (shards × K, 1 = trained) marks it'
          : 'row k is class k; the last column is the bias',
    },
    ...(present ? { present } : {}),
    createdAt: v.createdAt.toISOString(),
  };
}
