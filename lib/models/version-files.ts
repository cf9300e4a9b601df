import { getBlob, putBlob } from '@/lib/blobs/blob-store';
import { recordBlobWrites } from '@/lib/blobs/blob-writes';
import { open, seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { decodeAnyModel, encodeModel, encodeSisaModel, isSecretFile, type AnyModelJson, type LoadedModel } from '@/lib/unlearning/model-file';
import { sha256 } from '@/lib/unlearning/model-file-arrays';
import type { NewtonModel } from '@/lib/unlearning/model';
import type { SisaModel } from '@/lib/unlearning/sisa';

type NoiseSource = 'secret' | 'seeded' | 'none';

/** The secret noise and its salt are sealed like biometric data (AES-256-GCM, the data key), bound to their file name. */
const sealFile = (name: string, bytes: Buffer) => (isSecretFile(name) ? seal(bytes, getDataKey(), `model-secret:${name}`) : bytes);

/**
 * A stored file's plain bytes: the secret files of a version with secret noise unsealed (throws
 * decryption_failed when altered); versions with seeded noise were stored before sealing.
 */
export function openStoredFile(name: string, bytes: Buffer, noiseSource: NoiseSource): Buffer {
  return noiseSource === 'secret' && isSecretFile(name) ? open(bytes, getDataKey(), `model-secret:${name}`) : bytes;
}

/**
 * Stores a model's files (lib/unlearning's format: model.json, weights, caches), encoded in memory
 * without a scratch directory, as blobs and
 * returns { file name: sha256 of the stored blob } and the weights' digest. Only the weights and
 * the public part of model.json are ever served; the Hessians and the training features stay on
 * the platform, and the noise and its salt are stored sealed.
 */
export async function storeModelFiles(
  model: NewtonModel | SisaModel,
  meta: { parentSha256: string | null; residual?: number; budget?: number },
): Promise<StoredModel> {
  const parent = meta.parentSha256 ? { sha256: meta.parentSha256 } : null;
  const encoded =
    model.kind === 'sisa' ? encodeSisaModel(model, { parent }) : encodeModel(model, { parent, residual: meta.residual ?? 0, budget: meta.budget ?? 1 });
  const files = [...encoded.files].map(([name, bytes]) => [name, sealFile(name, bytes)] as const);
  // Recorded before the first byte is written (the blob sweep deletes them if no version ever
  // holds them). The large files' digests are model.json's; the sealed ones and model.json are hashed here.
  const digests = new Map(Object.values(encoded.json.files).flatMap((f) => (f && !isSecretFile(f.file) ? [[f.file, f.sha256] as const] : [])));
  const expected = new Map(files.map(([name, bytes]) => [name, digests.get(name) ?? sha256(bytes)]));
  await recordBlobWrites([...expected.values()]);
  // All files at once: one file's hashing overlaps another's write and fsync (the 190 MB of a
  // 100,000 x 1,000 version: 0.74-0.79 s one after another, 0.55-0.60 s at once; a scratch timing
  // of putBlob with random buffers of those sizes, 2026-12-03).
  const stored = await Promise.all(files.map(async ([name, bytes]) => [name, (await putBlob(bytes)).sha256] as const));
  const unrecorded = stored.filter(([name, sha]) => expected.get(name) !== sha);
  if (unrecorded.length) throw new Error(`stored under digests that were not recorded: ${unrecorded.map(([name]) => name).join(', ')}`);
  return { files: Object.fromEntries(stored), weightsSha256: encoded.weightsSha256, json: encoded.json };
}

export type StoredModel = { files: Record<string, string>; weightsSha256: string; json: AnyModelJson };

/**
 * Loads a stored version from its blobs, in memory (every file's digest is checked by the blob store
 * and by model.json).
 * Versions with seeded noise were stored before sealing: their noise file is plain.
 */
export async function loadModelFiles(version: { files: Record<string, string>; noiseSource: NoiseSource }): Promise<LoadedModel> {
  const bytes = new Map<string, Buffer>();
  const plain = (name: string) => !(version.noiseSource === 'secret' && isSecretFile(name));
  // Plain files are read straight into shared memory, where the engine's threads use them, and
  // were checked against their content address on the way: the decoder does not hash them again.
  // All files at once: each is hashed on this thread as soon as it is in, while the others are read.
  await Promise.all(
    Object.entries(version.files).map(async ([name, sha]) =>
      bytes.set(name, plain(name) ? await getBlob(sha, { shared: true }) : openStoredFile(name, await getBlob(sha), version.noiseSource)),
    ),
  );
  return decodeAnyModel({
    read: (name) => bytes.get(name),
    where: `the stored version (${Object.keys(version.files).length} files)`,
    checkedDigest: (name) => (plain(name) ? version.files[name] : undefined),
  });
}

/** The file that holds the weights a partner deploys: `weights.f64` (newton-certified) or the SISA checkpoints. */
export function weightsFileName(files: Record<string, string>): string {
  const name = Object.keys(files).find((f) => f.startsWith('weights.')) ?? Object.keys(files).find((f) => f.startsWith('checkpoints.'));
  if (!name) throw new Error('model version without weights');
  return name;
}
