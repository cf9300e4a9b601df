import { log } from '@/lib/log/logger';
import { defaultThreads, runOverClasses } from '@/lib/unlearning/class-pool';
import type { Samples } from '@/lib/unlearning/dataset';
import type { ForgettingEvidence, RemovedPhotos } from '@/lib/unlearning/forgetting-evidence';
import type { NewtonModel } from '@/lib/unlearning/model';
import type { ReleaseCheck } from '@/lib/unlearning/release-checks';
import type { SisaModel } from '@/lib/unlearning/sisa';

export type ReleaseChecked = { accuracy: number | null; evidence: Map<string, ForgettingEvidence | null> };

/**
 * Stores a release (`store`, on this thread: digests, sealing, writes) beside its checks on the
 * worker threads: the accuracy on the held-out items (null without any) and each task's per-person
 * evidence (null when none of its photos were in the model, or when the test cannot run: logged).
 *
 * The evidence is the longest check, so it starts at once. The accuracy starts at once only when
 * the machine has a core for it beyond the store's and the evidence's; otherwise it waits until
 * one of them is done. On 2 cores, starting it at once made it share a core with the evidence
 * while the store held the other (both checks run at the job's lower priority): at 100,000 ×
 * 1,000 the evidence took 1.0-1.1 s in the journey against 0.5 s alone (bench/README.md, run 10).
 */
export async function storeAndCheck<S>(
  store: () => Promise<S>,
  head: NewtonModel | SisaModel,
  holdout: Samples,
  photos: RemovedPhotos | null,
  tasks: { id: string; itemIds: string[] }[],
): Promise<[S, ReleaseChecked]> {
  const evidenceItems: ReleaseCheck[] =
    head.kind === 'newton-certified' && photos ? tasks.map((t) => ({ kind: 'evidence', taskId: t.id, itemIds: t.itemIds })) : [];
  // The rows cache is rebuilt where it is needed; sent, it would be copied to every thread.
  const sent = head.kind === 'newton-certified' ? { ...head, rowsCache: undefined } : head;
  const run = (items: ReleaseCheck[]) =>
    items.length ? runOverClasses('releaseChecks', { head: sent, holdout, photos }, items, { offThread: true }) : Promise.resolve([]);
  const stored = store();
  const evidenceRun = run(evidenceItems);
  const spare = defaultThreads() >= 2 + Math.min(evidenceItems.length, defaultThreads());
  const accuracyRun = holdout.ids.length
    ? (spare ? Promise.resolve() : Promise.race([stored, evidenceRun]).catch(() => {})).then(() => run([{ kind: 'accuracy' }]))
    : Promise.resolve([]);
  const [result, evidenceResults, accuracyResults] = await Promise.all([stored, evidenceRun, accuracyRun]);
  let accuracy: number | null = null;
  const evidence = new Map<string, ForgettingEvidence | null>();
  for (const r of [...evidenceResults, ...accuracyResults]) {
    if (r.kind === 'accuracy') accuracy = r.accuracy;
    else {
      if (r.error) log.warn('per-person evidence could not be computed', { error: r.error });
      evidence.set(r.taskId, r.evidence);
    }
  }
  return [result, { accuracy, evidence }];
}
