/**
 * The WebAssembly row kernels (lib/unlearning/kernels/rows.wat) against the JavaScript loops they
 * replaced, on the patterns the engine runs them on, with synthetic float32 rows:
 *   sweep: the residual sweep's two loops (each row's dot product with the class's weights, then
 *          the sum of coefficient × row), classes taking ~10 % of the rows of each 256-row chunk;
 *   factor: the step matrix's in-place Cholesky factor (D × D);
 *   scores: every row against every class (a release's accuracy on held-out rows).
 * Each is timed `--reps` times after one warm-up run (V8 tiers the module up on first use), and the
 * median printed; the two implementations' results are compared. One JSON object on stdout.
 *
 *   node --import tsx bench/row-kernels.ts [--d 128] [--classes 1000] [--rows 10000] [--reps 5]
 */
import { parseArgs } from 'node:util';
import { arena, paddedWidth } from '@/lib/unlearning/kernels/row-kernel';
import { scoreRows } from '@/lib/unlearning/kernels/score-rows';
import { choleskyUpperInPlace } from '@/lib/unlearning/linalg';
import { residualSweep } from '@/lib/unlearning/residual-sweep';
import { Rng } from '@/lib/unlearning/rng';
import { factorJs, residualSweepJs, scoresJs } from './row-kernels-js';

const { values } = parseArgs({
  options: {
    d: { type: 'string', default: '128' },
    classes: { type: 'string', default: '1000' },
    rows: { type: 'string', default: '10000' },
    reps: { type: 'string', default: '5' },
  },
});
const D = Number(values.d) + 1;
const K = Number(values.classes);
const n = Number(values.rows);
const reps = Number(values.reps);
const rng = new Rng(1);
const x = Float32Array.from({ length: n * D }, (_, i) => (i % D === D - 1 ? 1 : 0.05 * rng.normal()));
const label = Int32Array.from({ length: n }, (_, i) => i % K);
const w = Float64Array.from({ length: K * D }, () => rng.normal());
const b = new Float64Array(K * D);

function median(f: () => void): number {
  f();
  const t = Array.from({ length: reps }, () => {
    const t0 = performance.now();
    f();
    return (performance.now() - t0) / 1000;
  }).sort((p, q) => p - q);
  return Number(t[Math.floor(reps / 2)].toFixed(3));
}

const classes = Array.from({ length: K }, (_, k) => ({
  k,
  offset: k * D,
  rows: Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => label[i] === k || (i * 2654435761 + k * 40503) % 1000 < 100)),
}));
const rowVisits = classes.reduce((s, c) => s + c.rows.length, 0);
const outJs = new Float64Array(K * D);
const outWasm = new Float64Array(K * D);
const sweep = {
  multiplyAdds: 2 * rowVisits * D,
  js: median(() => residualSweepJs(x, D, label, classes, w, 0, b, outJs)),
  wasm: median(() => residualSweep(x, D, label, classes, w, 0, b, outWasm)),
  maxRelativeDifference: 0,
};
outJs.forEach((v, i) => (sweep.maxRelativeDifference = Math.max(sweep.maxRelativeDifference, Math.abs(v - outWasm[i]) / (1 + Math.abs(v)))));

const g = Float64Array.from({ length: D * D }, () => rng.normal());
const spd = new Float64Array(D * D);
for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let k = 0; k < D; k++) spd[i * D + j] += g[k * D + i] * g[k * D + j];
for (let i = 0; i < D; i++) spd[i * D + i] += D;
const factors = 200;
const diag = new Float64Array(D);
const factor = {
  factors,
  js: median(() => {
    for (let r = 0; r < factors; r++) factorJs(spd.slice(), D);
  }),
  wasm: median(() => {
    for (let r = 0; r < factors; r++) choleskyUpperInPlace(spd.slice(), D, diag);
  }),
};

const zJs = new Float64Array(n * K);
const zWasm = new Float64Array(n * K);
const scores = {
  multiplyAdds: n * K * D,
  js: median(() => scoresJs(x, D, n, w, K, zJs)),
  wasm: median(() => scoreRows(x, D, n, w, K, zWasm)),
  maxRelativeDifference: 0,
};
zJs.forEach((v, i) => (scores.maxRelativeDifference = Math.max(scores.maxRelativeDifference, Math.abs(v - zWasm[i]) / (1 + Math.abs(v)))));

console.log(
  JSON.stringify({
    d: D - 1,
    classes: K,
    rows: n,
    padded: paddedWidth(D),
    kernelMemoryMB: arena({}).kernel.memory.buffer.byteLength / 2 ** 20,
    sweep,
    factor,
    scores,
  }),
);
