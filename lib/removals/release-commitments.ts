import type { Commitments } from '@/lib/models/version-report';
import { trainingManifestDigest, removedItemsDigest } from '@/lib/unlearning/commitments';
import { isSecretFile, type AnyModelJson } from '@/lib/unlearning/model-file';
import type { NewtonModel } from '@/lib/unlearning/model';
import type { SisaModel } from '@/lib/unlearning/sisa';

/** What a certificate commits to of one version: its training manifest, its noise, its files. */
export type ReleaseInputs = { trainingManifest: string; noise: string | null; modelJson: string; files: Record<string, string> };

/**
 * One version's commitments, from the version as loaded (or just stored) and its stored files.
 * The file digests are model.json's plaintext ones, without the noise and its salt: their plain
 * digests would not hide b; the hiding commitment stands for them.
 */
export function releaseInputs(loaded: { model: NewtonModel | SisaModel; json: AnyModelJson }, storedFiles: Record<string, string>): ReleaseInputs {
  const { model, json } = loaded;
  const files = Object.fromEntries(Object.values(json.files).flatMap((f) => (f && !isSecretFile(f.file) ? [[f.file, f.sha256]] : [])));
  return {
    trainingManifest: trainingManifestDigest(model.ids, model.label, model.classes),
    noise: json.kind === 'newton-certified' ? json.noise.commitment : null,
    modelJson: storedFiles['model.json'],
    files,
  };
}

/** The commitments of a release from the version before to the version after, for the removed sample ids. */
export function releaseCommitments(before: ReleaseInputs, after: ReleaseInputs, removedIds: string[]): Commitments {
  return {
    noiseBefore: before.noise,
    noiseAfter: after.noise,
    trainingManifestBefore: before.trainingManifest,
    trainingManifestAfter: after.trainingManifest,
    removedItems: removedItemsDigest(removedIds),
    modelJsonBefore: before.modelJson,
    modelJsonAfter: after.modelJson,
    filesBefore: before.files,
    filesAfter: after.files,
  };
}
