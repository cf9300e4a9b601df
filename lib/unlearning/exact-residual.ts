import { allRows, classKey, classRows, modelHashes } from './class-rows';
import { classGradient } from './logistic';
import type { NewtonModel } from './model';

/**
 * The released model's gradient residual u = ∇L_b(w; D′) over its remaining data, recomputed
 * from the weights, the features, the labels and the noise alone: nothing the removal stored of
 * its own bookkeeping is read. Its norm is what the (ε, δ) guarantee rests on (‖u‖ ≤ ε′).
 */
export function exactResidual(m: NewtonModel): number {
  return Math.sqrt(exactResidualVector(m).reduce((a, v) => a + v * v, 0));
}

/** The residual u itself (K × D), computed as exactResidual describes. */
export function exactResidualVector(m: NewtonModel): Float64Array {
  const D = m.d + 1;
  const out = new Float64Array(m.classes.length * D);
  const hashes = modelHashes(m);
  const all = allRows(m.ids.length);
  m.classes.forEach((label, k) => {
    const rows = classRows(m.label, hashes, k, classKey(label), m.params.subsample, all);
    classGradient({ x: m.x, d: D, label: m.label, rows, k }, m.weights, k * D, m.params.lambda, m.noise, k * D, out, k * D);
  });
  return out;
}
