import type { Samples } from './dataset';
import { accuracy } from './evaluate';
import { forgettingEvidence, type ForgettingEvidence, type RemovedPhotos } from './forgetting-evidence';
import type { NewtonModel } from './model';
import type { SisaModel } from './sisa';

/**
 * What a removal job computes of a release before it is recorded: the accuracy on the held-out
 * items and, per request, the per-person evidence. As class tasks (class-tasks.ts) they run on the
 * worker threads, one check per thread, while the job's own thread stores the release: they no
 * longer hold the event loop of the process that hosts the job (the web server, in the embedded
 * default), and they overlap with storing.
 */
export type ReleaseCheck = { kind: 'accuracy' } | { kind: 'evidence'; taskId: string; itemIds: string[] };

export type ReleaseCheckInput = {
  head: NewtonModel | SisaModel;
  holdout: Samples;
  /** The removed photos (every task's), for the evidence of a newton-certified release. */
  photos: RemovedPhotos | null;
};

export type ReleaseCheckResult =
  { kind: 'accuracy'; accuracy: number } | { kind: 'evidence'; taskId: string; evidence: ForgettingEvidence | null; error: string | null };

export function releaseChecks(a: ReleaseCheckInput, items: ReleaseCheck[]): ReleaseCheckResult[] {
  return items.map((item) => {
    if (item.kind === 'accuracy') return { kind: 'accuracy', accuracy: accuracy(a.head, a.holdout).accuracy };
    const head = a.head;
    if (head.kind !== 'newton-certified' || !a.photos) return { kind: 'evidence', taskId: item.taskId, evidence: null, error: null };
    try {
      return { kind: 'evidence', taskId: item.taskId, evidence: personEvidence(head, a.photos, item.itemIds), error: null };
    } catch (err) {
      return { kind: 'evidence', taskId: item.taskId, evidence: null, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

/** The per-person evidence for one request's photos in this model (null when none of them were in it). */
function personEvidence(head: NewtonModel, all: RemovedPhotos, itemIds: string[]): ForgettingEvidence | null {
  const mine = new Set(itemIds);
  const keep = all.ids.flatMap((id, j) => (mine.has(id) ? [j] : []));
  if (!keep.length) return null;
  const D = head.d + 1;
  const x = new Float64Array(keep.length * D);
  keep.forEach((j, r) => x.set(all.x.subarray(j * D, (j + 1) * D), r * D));
  return forgettingEvidence(head, { x, labels: keep.map((j) => all.labels[j]), ids: keep.map((j) => all.ids[j]) });
}
