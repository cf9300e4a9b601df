import { UnlearningError } from './errors';
import type { NewtonParams } from './model';

export const DEFAULT_PARAMS: NewtonParams = { lambda: 1e-4, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 1 };

/** Checks training parameters; each bad one is named with the range it must be in. */
export function checkParams(p: Partial<NewtonParams>): NewtonParams {
  const q = { ...DEFAULT_PARAMS, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) } as NewtonParams;
  const bad: string[] = [];
  if (!(q.lambda > 0 && Number.isFinite(q.lambda))) bad.push(`lambda must be > 0 (got ${q.lambda})`);
  if (!(q.sigma > 0 && Number.isFinite(q.sigma))) bad.push(`sigma must be > 0 (got ${q.sigma})`);
  if (!(q.epsilon > 0 && Number.isFinite(q.epsilon))) bad.push(`epsilon must be > 0 (got ${q.epsilon})`);
  if (!(q.delta > 0 && q.delta < 1)) bad.push(`delta must be in (0, 1) (got ${q.delta})`);
  if (!(q.subsample > 0 && q.subsample <= 1)) bad.push(`subsample must be in (0, 1] (got ${q.subsample})`);
  const seedOk = Number.isInteger(q.subsampleSeed) && q.subsampleSeed >= 0 && q.subsampleSeed < 2 ** 32;
  if (q.subsampleByLabel !== undefined && q.subsampleByLabel !== 0 && q.subsampleByLabel !== 1) {
    bad.push(`subsampleByLabel must be 0 or 1 (got ${q.subsampleByLabel})`);
  }
  if (!seedOk) bad.push(`subsampleSeed must be an integer in [0, 2^32) (got ${q.subsampleSeed})`);
  if ('seed' in p) bad.push('seed is not a parameter: the noise is drawn from a cryptographic source and kept secret (subsampleSeed chooses the subsample)');
  if (bad.length) throw new UnlearningError('bad_params', bad.join('; '));
  return q;
}
