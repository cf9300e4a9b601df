import { UnlearningError } from './errors';
import type { NewtonModel } from './model';

export type RemovalPlan = {
  /** Row indices (in the current model) of the samples to remove, ascending. */
  removed: Int32Array;
  /** For each row, its index after removal, or −1. */
  newIndex: Int32Array;
  /** Classes that lose every positive sample: dropped from the model (exact). */
  dropped: number[];
};

/** Resolves sample ids to rows; unknown or repeated ids are errors, never silent no-ops. */
export function planRemoval(model: Pick<NewtonModel, 'ids' | 'label' | 'classes'>, ids: string[]): RemovalPlan {
  if (!ids.length) throw new UnlearningError('unknown_ids', 'no sample ids were given to remove');
  const index = new Map(model.ids.map((id, i) => [id, i]));
  const seen = new Set<string>();
  const unknown: string[] = [];
  const rows: number[] = [];
  for (const id of ids) {
    if (seen.has(id)) throw new UnlearningError('duplicate_ids', `sample id "${id}" is listed twice in the removal`);
    seen.add(id);
    const i = index.get(id);
    if (i === undefined) unknown.push(id);
    else rows.push(i);
  }
  if (unknown.length) {
    const shown = unknown
      .slice(0, 5)
      .map((u) => `"${u}"`)
      .join(', ');
    throw new UnlearningError(
      'unknown_ids',
      `${unknown.length} id(s) are not in this model (never trained on, or already removed): ${shown}${unknown.length > 5 ? ', …' : ''}`,
    );
  }
  if (rows.length === model.ids.length) throw new UnlearningError('nothing_left', 'removing every sample would leave nothing to train on');
  const removed = Int32Array.from(rows).sort();
  const newIndex = new Int32Array(model.ids.length).fill(-1);
  const gone = new Uint8Array(model.ids.length);
  for (const r of removed) gone[r] = 1;
  let next = 0;
  const positivesLeft = new Int32Array(model.classes.length);
  for (let i = 0; i < model.ids.length; i++) {
    if (gone[i]) continue;
    newIndex[i] = next++;
    positivesLeft[model.label[i]]++;
  }
  const dropped: number[] = [];
  for (let k = 0; k < model.classes.length; k++) if (positivesLeft[k] === 0) dropped.push(k);
  if (model.classes.length - dropped.length < 2) throw new UnlearningError('nothing_left', 'the removal would leave fewer than two identities in the model');
  return { removed, newIndex, dropped };
}
