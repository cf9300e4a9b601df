import { and, eq, isNotNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasetItems } from '@/db/schema';
import { removalBudget } from '@/lib/unlearning/budget';
import { without, type Samples } from '@/lib/unlearning/dataset';
import type { NewtonModel } from '@/lib/unlearning/model';
import { removeSamples } from '@/lib/unlearning/remove';
import { removeSisa, type SisaModel } from '@/lib/unlearning/sisa';

/**
 * A model's training reads its dataset's live items when it starts and releases its first version
 * minutes later. A removal request submitted in between removes the items from the dataset, but
 * the model it finds is not ready, so it gets no removal task (submit-request.ts): without this,
 * the person's photos would be in the version released after their request. Training therefore
 * takes them out of the head before it releases it, with the engine a removal uses, and checks
 * again under the model's row lock as it releases (train-job.ts).
 */

/** The items of the dataset that removal requests have removed. */
export async function removedItems(db: Executor, datasetId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: datasetItems.id })
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, datasetId), isNotNull(datasetItems.removedAt)));
  return new Set(rows.map((r) => r.id));
}

/** The trained head's items among these (the ones a release must not hold). */
export const trainedAmong = (head: { ids: readonly string[] }, items: Set<string>) => head.ids.filter((id) => items.has(id));

/** What the first version records of the items that left it before its release. */
export type RemovedBeforeRelease = { items: number; method: 'newton-certified' | 'retrain' | 'sisa'; classesDropped: string[] };

type Head = NewtonModel | SisaModel;
export type Trained = { head: Head; holdout: Samples; residual: number | null; budgetUsed: number; removed: RemovedBeforeRelease | null };

/**
 * The trained head without the removed items it holds: certified removal (its residual is then
 * the version's, and uses budget) or SISA's retraining of the shards that held them. The held-out
 * samples lose the removed items too, so the accuracy is measured on live items only.
 */
export async function withoutRemoved(t: Trained, removed: Set<string>): Promise<Trained> {
  const holdout = t.holdout.ids.some((id) => removed.has(id)) ? without(t.holdout, removed) : t.holdout;
  const ids = trainedAmong(t.head, removed);
  if (!ids.length) return { ...t, holdout };
  const before = t.removed?.items ?? 0;
  if (t.head.kind === 'sisa') {
    const r = removeSisa(t.head, ids);
    const dropped = [...(t.removed?.classesDropped ?? []), ...r.report.classesDropped];
    return { head: r.model, holdout, residual: null, budgetUsed: 0, removed: { items: before + ids.length, method: 'sisa', classesDropped: dropped } };
  }
  const r = await removeSamples(t.head, ids, { consume: true });
  const { residual, method, classesDropped } = r.report;
  // The last pass's method is the release's (a retraining then a certified step is certified).
  const removedNow = { items: before + ids.length, method, classesDropped: [...(t.removed?.classesDropped ?? []), ...classesDropped] };
  return { head: r.model, holdout, residual, budgetUsed: residual / removalBudget(t.head.params), removed: removedNow };
}
