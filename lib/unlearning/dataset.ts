import { UnlearningError } from './errors';
import { preprocessRows } from './preprocess';

/** Training or evaluation samples: ids, labels and raw d-dimensional features (n × d, row-major). */
export type Samples = { ids: string[]; labels: string[]; x: Float64Array; d: number };

/** Validates samples (dimension, finite values, unique ids) and returns them preprocessed. */
export function prepareSamples(s: Samples, center: Float64Array): { x: Float32Array; n: number } {
  const n = s.ids.length;
  if (s.labels.length !== n || s.x.length !== n * s.d) {
    throw new UnlearningError('bad_features', `expected ${n} labels and ${n}×${s.d} values, got ${s.labels.length} labels and ${s.x.length} values`);
  }
  if (s.d !== center.length) throw new UnlearningError('bad_features', `features have dimension ${s.d}, the model expects ${center.length}`);
  const seen = new Set<string>();
  for (const id of s.ids) {
    if (seen.has(id)) throw new UnlearningError('duplicate_ids', `sample id "${id}" appears more than once`);
    seen.add(id);
  }
  return { x: preprocessRows(s.x, n, center, s.ids), n };
}

/** The samples without the given ids, a new copy (what "retraining on the remaining data" trains on). */
export function without(s: Samples, ids: Set<string>): Samples {
  const keep = s.ids.map((_, i) => i).filter((i) => !ids.has(s.ids[i]));
  const x = new Float64Array(keep.length * s.d);
  keep.forEach((i, j) => x.set(s.x.subarray(i * s.d, (i + 1) * s.d), j * s.d));
  return { ids: keep.map((i) => s.ids[i]), labels: keep.map((i) => s.labels[i]), x, d: s.d };
}

/** The samples at the indices `pick` keeps (a new copy). */
export function subset(s: Samples, pick: (i: number, s: Samples) => boolean): Samples {
  return without(s, new Set(s.ids.filter((_, i) => !pick(i, s))));
}
