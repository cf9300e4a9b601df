import type { LoadedModel } from '@/lib/unlearning/model-file';

/**
 * Models this process keeps in memory after it trained, re-noised or released them, by model
 * version id, so that the next removal from the same model does not read and decode hundreds of
 * megabytes of blobs again (at 100,000 samples × 1,000 classes a version's files are about
 * 250 MB). A removal takes the model out (it consumes its arrays) and puts the release back under
 * the new version's id. A version that another process released is simply not here: the caller
 * loads it from its blobs. At most WARM_BYTES are kept; the least recently kept go first.
 */
export const WARM_BYTES = 1024 ** 3;

const warm = new Map<string, { loaded: LoadedModel; bytes: number }>();

function sizeOf(loaded: LoadedModel): number {
  const m = loaded.model;
  const arrays =
    m.kind === 'sisa' ? [m.x, m.label, ...m.shards.flatMap((s) => s.checkpoints)] : [m.x, m.label, m.weights, m.noise, m.hessians, m.residual, m.gram];
  return arrays.reduce((n, a) => n + (a?.byteLength ?? 0), 0);
}

/** Keeps a version's model warm (replacing what was kept for it). A model larger than the budget is not kept. */
export function keepWarm(versionId: string, loaded: LoadedModel, budget = WARM_BYTES): void {
  warm.delete(versionId);
  const bytes = sizeOf(loaded);
  if (bytes > budget) return;
  warm.set(versionId, { loaded, bytes });
  let total = [...warm.values()].reduce((n, e) => n + e.bytes, 0);
  for (const [id, e] of warm) {
    if (total <= budget) break;
    warm.delete(id);
    total -= e.bytes;
  }
}

/** Takes a version's model out of the cache (the caller may consume it), or null when it is not warm here. */
export function takeWarm(versionId: string): LoadedModel | null {
  const e = warm.get(versionId);
  warm.delete(versionId);
  return e?.loaded ?? null;
}

/** Forgets every warm model (tests). */
export function clearWarm(): void {
  warm.clear();
}
