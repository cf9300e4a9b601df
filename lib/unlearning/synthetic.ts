import type { Samples } from './dataset';
import { Rng } from './rng';

/**
 * A face-shaped synthetic set for tests and benchmarks: K identities, each a random direction in
 * a narrow cone around a shared mean (as face descriptors are), samples scattered around their
 * identity with within-identity spread `spread` relative to the between-identity spread.
 */
export function syntheticFaces(opts: {
  identities: number;
  perIdentity: number;
  d?: number;
  spread?: number;
  seed?: number;
  idPrefix?: string;
}): Samples & { centre: Float64Array } {
  const d = opts.d ?? 128;
  const rng = new Rng(opts.seed ?? 7);
  const spread = opts.spread ?? 2.4;
  const mean = Float64Array.from({ length: d }, () => rng.normal());
  const n = opts.identities * opts.perIdentity;
  const x = new Float64Array(n * d);
  const ids: string[] = new Array(n);
  const labels: string[] = new Array(n);
  const centre = new Float64Array(d);
  for (let k = 0; k < opts.identities; k++) {
    const c = Float64Array.from({ length: d }, (_, j) => mean[j] + 0.35 * rng.normal());
    for (let s = 0; s < opts.perIdentity; s++) {
      const i = k * opts.perIdentity + s;
      ids[i] = `${opts.idPrefix ?? 's'}${k}-${s}`;
      labels[i] = `person-${k}`;
      for (let j = 0; j < d; j++) x[i * d + j] = c[j] + 0.35 * spread * rng.normal();
    }
  }
  for (let j = 0; j < d; j++) centre[j] = mean[j];
  return { ids, labels, x, d, centre };
}
