import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classGradient } from './logistic';
import { residualSweep, type SweepClass } from './residual-sweep';
import { Rng } from './rng';

// Rows of d = 21 (20 features and the bias), 700 rows (three chunks, the last one partial), 9 classes.
const rng = new Rng(17);
const D = 21;
const n = 700;
const K = 9;
const x = Float32Array.from({ length: n * D }, (_, i) => (i % D === D - 1 ? 1 : 0.3 * rng.normal()));
const label = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * K));
const w = Float64Array.from({ length: K * D }, () => rng.normal());
const b = Float64Array.from({ length: K * D }, () => 0.01 * rng.normal());
const lambda = 1e-3;
// Each class on its positives and about half of the rest, as negative subsampling would pick them.
const classes: SweepClass[] = Array.from({ length: K }, (_, k) => ({
  k,
  offset: k * D,
  rows: Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => label[i] === k || rng.uniform() < 0.5)),
  v: k % 2 ? Float64Array.from({ length: D }, () => rng.normal()) : undefined,
}));

/** The same residual class by class, with the plain loops of logistic.ts, and ‖X_k v‖² by rows. */
function independent() {
  const out = new Float64Array(K * D);
  const xv = classes.map(({ k, rows, offset, v }) => {
    classGradient({ x, d: D, label, rows, k }, w, offset, lambda, b, offset, out, offset);
    if (!v) return 0;
    let s = 0;
    for (const i of rows) {
      let q = 0;
      for (let j = 0; j < D; j++) q += x[i * D + j] * v[j];
      s += q * q;
    }
    return s;
  });
  return { out, xv };
}

const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= 1e-12 * (1 + Math.abs(want)), `${what}: ${got} vs ${want}`);

test('the sweep gives each class the residual that its own rows give, and ‖X_k v‖² where asked', () => {
  const want = independent();
  for (const classBytes of [undefined, 3 * 24 * 8 * 2]) {
    // classBytes of two classes' vectors: five passes over the rows instead of one.
    const out = new Float64Array(K * D);
    const xv = residualSweep(x, D, label, classes, w, lambda, b, out, { classBytes });
    for (let i = 0; i < out.length; i++) close(out[i], want.out[i], `passes of ${classBytes ?? 'all'} bytes, value ${i}`);
    classes.forEach((c, i) => close(xv[i], c.v ? want.xv[i] : 0, `class ${i} ‖Xv‖²`));
  }
});

test('a sweep over some classes writes theirs alone, and the same call twice gives the same bits', () => {
  const some = [classes[7], classes[2]];
  const run = () => {
    const out = new Float64Array(K * D).fill(5);
    residualSweep(x, D, label, some, w, lambda, b, out);
    return out;
  };
  const out = run();
  const want = independent().out;
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < D; j++) {
      if (k === 7 || k === 2) close(out[k * D + j], want[k * D + j], `class ${k}`);
      else assert.equal(out[k * D + j], 5);
    }
  }
  assert.deepEqual(run(), out);
});
