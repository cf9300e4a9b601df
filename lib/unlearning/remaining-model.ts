import type { NewtonModel } from './model';
import type { RemovalPlan } from './select-removal';
import { sharedF32, sharedF64, sharedI32, toSharedF64 } from './shared';

/** What the removal still needs of the model as it was: the removed rows and the old weights. */
export type RemovedPart = {
  /** The removed rows' features, m × D, in the order of `plan.removed`. */
  x: Float32Array;
  /** Their class indices in the old model. */
  label: Int32Array;
  /** The old model's K × D weights. */
  weights: Float64Array;
};

/**
 * The model restricted to the remaining rows and the classes that keep positives: rows and dropped
 * classes taken out, weights, noise, caches and residual carried over as they are (the caller then
 * updates what the removal changes); the Gram cache is downdated exactly. Also returns what the
 * removal needs of the old model (the removed rows, the old weights), copied out first.
 *
 * With `inPlace`, the input model's arrays are compacted where they are and the result views them:
 * no new memory for the features and Hessians (hundreds of MB at scale, where first-touching fresh
 * pages costs more than the arithmetic), but the input model is consumed and must not be used
 * again. Otherwise the input is unchanged.
 */
export function remainingModel(
  m: NewtonModel,
  plan: RemovalPlan,
  opts: { inPlace?: boolean } = {},
): { model: NewtonModel; classMap: Int32Array; removed: RemovedPart } {
  const D = m.d + 1;
  const K = m.classes.length;
  const removed = removedPart(m, plan, D);
  const droppedSet = new Set(plan.dropped);
  const classMap = new Int32Array(K).fill(-1);
  const classes: string[] = [];
  for (let k = 0; k < K; k++) if (!droppedSet.has(k)) classMap[k] = classes.push(m.classes[k]) - 1;
  const K2 = classes.length;
  const n2 = m.ids.length - plan.removed.length;

  // Destinations never run ahead of their sources (k2 ≤ k, new row ≤ old row), so compacting in
  // place, in ascending order, never overwrites what is still to be read.
  const target = (src: Float64Array, length: number) => (opts.inPlace ? src : sharedF64(length));
  const targetRows = (src: Float32Array, length: number) => (opts.inPlace ? src : sharedF32(length));
  const compactClasses = (src: Float64Array, stride: number) => {
    const out = target(src, K2 * stride);
    for (let k = 0; k < K; k++) if (classMap[k] >= 0) moveBlock(src, out, k * stride, classMap[k] * stride, stride);
    return out.subarray(0, K2 * stride);
  };
  const weights = compactClasses(m.weights, D);
  const noise = compactClasses(m.noise, D);
  const hessians = m.hessians && compactClasses(m.hessians, D * D);
  const residual = compactClasses(m.residual, D);

  const x = targetRows(m.x, n2 * D);
  const label = opts.inPlace ? m.label : sharedI32(n2);
  const ids: string[] = new Array(n2);
  // The kept rows in runs between removed ones: one block move per run, not one per row.
  for (let i = 0; i < m.ids.length;) {
    if (plan.newIndex[i] < 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < m.ids.length && plan.newIndex[end] >= 0) end++;
    moveBlock(m.x, x, i * D, plan.newIndex[i] * D, (end - i) * D);
    for (let r = i; r < end; r++) {
      ids[plan.newIndex[r]] = m.ids[r];
      label[plan.newIndex[r]] = classMap[m.label[r]];
    }
    i = end;
  }
  // Rows of a dropped class stay as negatives of the others, with label −1 (no class).
  const gram = m.gram.slice();
  for (let r = 0; r < plan.removed.length; r++) {
    const xo = r * D;
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) gram[a * D + b] -= removed.x[xo + a] * removed.x[xo + b];
  }
  return {
    classMap,
    removed,
    model: { ...m, rowsCache: undefined, classes, weights, noise, hessians, residual, ids, label: label.subarray(0, n2), x: x.subarray(0, n2 * D), gram },
  };
}

function removedPart(m: NewtonModel, plan: RemovalPlan, D: number): RemovedPart {
  const x = sharedF32(plan.removed.length * D);
  const label = sharedI32(plan.removed.length);
  plan.removed.forEach((row, r) => {
    x.set(m.x.subarray(row * D, (row + 1) * D), r * D);
    label[r] = m.label[row];
  });
  return { x, label, weights: toSharedF64(m.weights) };
}

/** Copies `length` values from src[from] to out[to]; within one array, a memmove. */
function moveBlock<A extends Float64Array | Float32Array>(src: A, out: A, from: number, to: number, length: number): void {
  if (out === src) {
    if (from !== to) out.copyWithin(to, from, from + length);
  } else out.set(src.subarray(from, from + length), to);
}
