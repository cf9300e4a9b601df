import type { NewtonModel } from './model';
import type { RemovalPlan } from './select-removal';
import { sharedF64, sharedI32 } from './shared';

/**
 * The model restricted to the remaining rows and the classes that keep positives: a copy with
 * rows and dropped classes taken out, weights, noise, caches and residual carried over as they
 * are (the caller then updates what the removal changes). The Gram cache is downdated exactly.
 */
export function remainingModel(m: NewtonModel, plan: RemovalPlan): { model: NewtonModel; classMap: Int32Array } {
  const D = m.d + 1;
  const K = m.classes.length;
  const droppedSet = new Set(plan.dropped);
  const classMap = new Int32Array(K).fill(-1);
  const classes: string[] = [];
  for (let k = 0; k < K; k++) if (!droppedSet.has(k)) classMap[k] = classes.push(m.classes[k]) - 1;
  const K2 = classes.length;
  const pick = (src: Float64Array, stride: number) => {
    const out = sharedF64(K2 * stride);
    for (let k = 0; k < K; k++) if (classMap[k] >= 0) out.set(src.subarray(k * stride, (k + 1) * stride), classMap[k] * stride);
    return out;
  };
  const n2 = m.ids.length - plan.removed.length;
  const x = sharedF64(n2 * D);
  const ids: string[] = new Array(n2);
  const label = sharedI32(n2);
  for (let i = 0; i < m.ids.length; i++) {
    const j = plan.newIndex[i];
    if (j < 0) continue;
    x.set(m.x.subarray(i * D, (i + 1) * D), j * D);
    ids[j] = m.ids[i];
    label[j] = classMap[m.label[i]];
  }
  // Rows of a dropped class stay as negatives of the others, with label −1 (no class).
  const gram = Float64Array.from(m.gram);
  for (const r of plan.removed) {
    const xo = r * D;
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) gram[a * D + b] -= m.x[xo + a] * m.x[xo + b];
  }
  return {
    classMap,
    model: {
      ...m,
      rowsCache: undefined,
      classes,
      weights: pick(m.weights, D),
      noise: pick(m.noise, D),
      hessians: pick(m.hessians, D * D),
      residual: pick(m.residual, D),
      ids,
      label,
      x,
      gram,
    },
  };
}
