// The registry-scale bench's parallel loops (bench/registry-scale.ts), in plain JavaScript so that a
// worker thread needs no loader. Each call works on rows [from, to) of shared float32 matrices.
import { parentPort } from 'node:worker_threads';

const D = 128;

/** Mean distance to the k nearest cohort rows (as lib/matcher/cohort.ts: the same photo is skipped). */
function cohortDistances({ vectors, cohort, k, out, from, to }) {
  const v = new Float32Array(vectors);
  const c = new Float32Array(cohort);
  const o = new Float32Array(out);
  const n = c.length / D;
  const best = new Float64Array(k);
  for (let r = from; r < to; r++) {
    best.fill(Infinity);
    const base = r * D;
    for (let j = 0; j < n; j++) {
      let s = 0;
      const cb = j * D;
      for (let i = 0; i < D; i++) {
        const t = v[base + i] - c[cb + i];
        s += t * t;
      }
      if (s >= best[k - 1] * best[k - 1]) continue;
      const d = Math.sqrt(s);
      if (d < 1e-3) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1] > d) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = d;
    }
    let sum = 0;
    for (let i = 0; i < k; i++) sum += best[i];
    o[r] = sum / k;
  }
}

/** Normalised distances from one probe to rows [from, to): raw − (probe's + row's cohort distance)/2 + offset. */
function distances({ vectors, mu, probe, probeMu, offset, out, from, to }) {
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

parentPort.on('message', ({ id, task, args }) => {
  if (task === 'cohort') cohortDistances(args);
  else distances(args);
  parentPort.postMessage({ id });
});
