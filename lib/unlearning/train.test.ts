import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetConstant, removalBudget } from './budget';
import { UnlearningError } from './errors';
import { accuracy, auc, identityTest, membershipAuc } from './evaluate';
import { removeSamples } from './remove';
import { syntheticFaces } from './synthetic';
import { subset } from './test-helpers';
import { trainNewton } from './train';

const code = (c: string) => (e: unknown) => e instanceof UnlearningError && e.code === c;
const s = syntheticFaces({ identities: 6, perIdentity: 6, d: 8, spread: 0.7 });

test('the budget constant matches c = √(2 ln(1.5/δ))', async () => {
  assert.ok(Math.abs(budgetConstant(1e-5) - 4.8823) < 1e-4);
  assert.ok(Math.abs(removalBudget({ sigma: 1, epsilon: 1, delta: 1e-5 }) - 1 / 4.8823) < 1e-4);
});

test('bad features are refused: wrong dimension, NaN, infinity, a zero vector, duplicate ids', async () => {
  const bad = (mutate: (x: Float64Array) => void, d = s.d) => {
    const x = Float64Array.from(s.x);
    mutate(x);
    return () => trainNewton({ ...s, x, d }, s.centre, {});
  };
  await assert.rejects(async () => trainNewton({ ...s, d: 7, x: s.x.subarray(0, s.ids.length * 7) }, s.centre, {}), code('bad_features'));
  await assert.rejects(
    bad((x) => (x[5] = NaN)),
    (e: unknown) => e instanceof UnlearningError && /value 5 is NaN/.test(e.message),
  );
  await assert.rejects(
    bad((x) => (x[9] = Infinity)),
    code('bad_features'),
  );
  await assert.rejects(
    bad((x) => x.set(s.centre, 0)),
    /zero after centring/,
  );
  await assert.rejects(async () => trainNewton({ ...s, ids: s.ids.map((id, i) => (i === 1 ? s.ids[0] : id)) }, s.centre, {}), code('duplicate_ids'));
  await assert.rejects(async () => trainNewton({ ...s, labels: s.labels.map(() => 'only') }, s.centre, {}), code('empty_class'));
  await assert.rejects(
    async () => trainNewton(s, s.centre, { lambda: -1, delta: 2 }),
    (e: unknown) => e instanceof UnlearningError && /lambda/.test(e.message) && /delta/.test(e.message),
  );
});

test('unnormalised vectors are normalised: scaling the inputs changes nothing', async () => {
  const a = (await trainNewton(s, s.centre, { lambda: 1e-3 })).model;
  const scaled = Float64Array.from(s.x, (v, i) => s.centre[i % s.d] + 5 * (v - s.centre[i % s.d]));
  const b = (await trainNewton({ ...s, x: scaled }, s.centre, { lambda: 1e-3 }, { noise: a.noise })).model;
  for (let i = 0; i < a.weights.length; i++) assert.ok(Math.abs(a.weights[i] - b.weights[i]) < 1e-9);
});

test('AUC has known answers', async () => {
  assert.equal(auc([3, 4], [1, 2]), 1);
  assert.equal(auc([1, 2], [3, 4]), 0);
  assert.equal(auc([1, 2], [1, 2]), 0.5);
});

test('after removing a person, the model no longer recognises them on their other photos', async () => {
  const big = syntheticFaces({ identities: 8, perIdentity: 12, d: 16, seed: 21, spread: 0.7 });
  const train = subset(big, (i) => i % 12 < 8);
  const heldOut = subset(big, (i) => i % 12 >= 8);
  const model = (await trainNewton(train, big.centre, { lambda: 1e-3 })).model;
  const person = 'person-3';
  const theirPhotos = subset(heldOut, (i) => heldOut.labels[i] === person);
  const strangers = subset(heldOut, (i) => heldOut.labels[i] !== person);
  assert.ok(accuracy(model, heldOut).accuracy > 0.9);
  assert.ok(identityTest(model, person, theirPhotos, strangers).recognisedFraction > 0.5);
  const after = (
    await removeSamples(
      model,
      train.ids.filter((_, i) => train.labels[i] === person),
    )
  ).model;
  const test = identityTest(after, person, theirPhotos, strangers);
  assert.equal(test.classPresent, false);
  assert.equal(test.recognisedFraction, 0);
  const removed = subset(train, (i) => train.labels[i] === person);
  assert.ok(Number.isFinite(membershipAuc(after, removed, theirPhotos)));
});

test('a class that stops short of the tolerance fails the fit only when the short classes would hold 1 % of the budget', async () => {
  const params = { lambda: 1e-3, sigma: 0.1 };
  const budget = removalBudget({ sigma: 0.1, epsilon: 0.1, delta: 1e-6 });
  // A tolerance no float64 sum can reach: every class stops where the line search finds no lower value.
  const flat = await trainNewton(s, s.centre, params, { tolerance: 1e-30, threads: 1 });
  assert.ok(flat.report.residual > 0 && flat.report.residual < budget * 1e-2, `residual ${flat.report.residual}`);
  const normal = await trainNewton(s, s.centre, params, { threads: 1 });
  assert.ok(Math.abs(flat.report.residual - normal.report.residual) < budget * 1e-2);
  // One Newton iteration from zero is far from the optimum: refused, with the reason.
  await assert.rejects(
    trainNewton(s, s.centre, params, { tolerance: 1e-30, maxIterations: 1, threads: 1 }),
    (e: unknown) => code('bad_params')(e) && e instanceof Error && /did not converge .*raise lambda/.test(e.message),
  );
});
