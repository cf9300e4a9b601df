// The registry-scale bench's parallel loops (bench/registry-scale.ts), on worker threads whose
// entry (registry-scale-worker.mjs) loads TypeScript. Each call works on rows [from, to) of shared matrices.
import { parentPort } from 'node:worker_threads';
import { cohortDistance } from '@/lib/matcher/cohort';

const D = 128;

type Rows = { vectors: SharedArrayBuffer; out: SharedArrayBuffer; from: number; to: number };

/** The product's cohort distance (lib/matcher/cohort.ts) of each row. */
function cohortDistances({ vectors, cohort, k, out, from, to }: Rows & { cohort: SharedArrayBuffer; k: number }) {
  const v = new Float32Array(vectors);
  const o = new Float32Array(out);
  const c = { vectors: new Float32Array(cohort), k };
  for (let r = from; r < to; r++) o[r] = cohortDistance(v.subarray(r * D, (r + 1) * D), c);
}

/** Normalised distances from one probe to each row: raw − (probe's + row's cohort distance)/2 + offset. */
function distances({
  vectors,
  mu,
  probe,
  probeMu,
  offset,
  out,
  from,
  to,
}: Rows & { mu: SharedArrayBuffer; probe: Float32Array; probeMu: number; offset: number }) {
  const v = new Float32Array(vectors);
  const m = new Float32Array(mu);
  const o = new Float32Array(out);
  for (let r = from; r < to; r++) {
    let s = 0;
    const base = r * D;
    for (let i = 0; i < D; i++) {
      const t = v[base + i] - probe[i];
      s += t * t;
    }
    o[r] = Math.sqrt(s) - (probeMu + m[r]) / 2 + offset;
  }
}

parentPort!.on('message', ({ id, task, args }) => {
  if (task === 'cohort') cohortDistances(args);
  else distances(args);
  parentPort!.postMessage({ id });
});
