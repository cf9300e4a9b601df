import { UnlearningError } from './errors';
import { sharedF32 } from './shared';

/**
 * Features as the head sees them: x' = [(x − c)/‖x − c‖, 1] / √2, so ‖x'‖ = 1 exactly and the last
 * coordinate is a bias (docs/unlearning.md: centre with a fixed public vector, L2-normalise, append a
 * constant and rescale so the norm bound holds). Input vectors need not be normalised: they are
 * normalised after centring (documented in README.md); NaN, infinite, zero-length or
 * wrong-dimension vectors are rejected.
 */
export function preprocessRow(raw: ArrayLike<number>, center: Float64Array, out: Float32Array, offset: number, id = '?'): void {
  const d = center.length;
  if (raw.length !== d) throw new UnlearningError('bad_features', `sample ${id}: expected ${d} numbers, got ${raw.length}`);
  let ss = 0;
  for (let j = 0; j < d; j++) {
    const v = raw[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UnlearningError('bad_features', `sample ${id}: value ${j} is ${v}, not a finite number`);
    const c = v - center[j];
    ss += c * c;
  }
  const norm = Math.sqrt(ss);
  if (!(norm > 1e-12)) throw new UnlearningError('bad_features', `sample ${id}: the vector is zero after centring; it carries no information`);
  const scale = 1 / (norm * Math.SQRT2);
  for (let j = 0; j < d; j++) out[offset + j] = (raw[j] - center[j]) * scale;
  out[offset + d] = Math.SQRT1_2;
}

/**
 * Preprocesses many rows (n × d raw, row-major) into a new n × (d + 1) float32 array in shared
 * memory. The rows are computed in float64 and stored rounded to float32: training, removal, the
 * exact residual and retraining all read the same stored values, so the certificate (which rests
 * on the residual computed on them) is exact for them; ‖x‖ is 1 to within float32 rounding.
 */
export function preprocessRows(raw: Float64Array, n: number, center: Float64Array, ids?: string[]): Float32Array {
  const d = center.length;
  const out = sharedF32(n * (d + 1));
  for (let i = 0; i < n; i++) preprocessRow(raw.subarray(i * d, (i + 1) * d), center, out, i * (d + 1), ids?.[i]);
  return out;
}
