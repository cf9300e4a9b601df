import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../unlearning/rng';

const matrices = new Map<string, Float64Array>();
let centre: number[] | undefined;

/**
 * Tests and benches only: a stand-in for a partner's own embedding network, made honestly from real
 * faces rather than noise. Each vector is tanh(W (x − c)) of forgetme's 128-d descriptor x of the
 * photo, c the public centre and W a fixed dimension × 128 Gaussian matrix (seeded, entries
 * N(0, 4/128)): a different, nonlinear, higher-dimensional representation in which the same
 * person's photos still lie close together. It says nothing of how a real network behaves.
 */
export function partnerVector(descriptor: ArrayLike<number>, dimension = 512, seed = 512): Float32Array {
  const d = descriptor.length;
  const key = `${dimension}:${d}:${seed}`;
  let w = matrices.get(key);
  if (!w) {
    const rng = new Rng(seed);
    w = Float64Array.from({ length: dimension * d }, () => rng.normal() * Math.sqrt(4 / d));
    matrices.set(key, w);
  }
  // Read, not imported: Playwright's loader (e2e/embeddings.spec.ts) needs an import attribute for JSON.
  centre ??= (JSON.parse(fs.readFileSync(path.resolve('lib/faces/public-centre.json'), 'utf8')) as { centre: number[] }).centre;
  const c = centre;
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[i * d + j] * (descriptor[j] - (d === c.length ? c[j] : 0));
    out[i] = Math.tanh(s);
  }
  return out;
}
