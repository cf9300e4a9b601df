import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getDb } from '@/db/client';
import { calibratedCohort, calibration, thresholdsForRegistry } from '@/lib/matcher/calibration';
import { Rng } from '@/lib/unlearning/rng';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { searchForPerson } from './person-search';

setUpTestEnvironment();
const rng = new Rng(11);
// Real faces: two strangers of the calibration's cohort, far apart in the list (different people).
const realFace = (i: number) => Array.from(calibratedCohort()!.vectors.subarray(i * 128, (i + 1) * 128));
const like = (f: number[]) => f.map((x) => x + 0.004 * rng.normal());

describeEachDriver('a person’s search', () => {
  // A registry of a million faces (counted, not stored): the thresholds are then stricter than the calibrated tiers.
  const scope = { faces: 1_000_000, labels: 20_000, datasets: [] };

  test('references that agree are one probe, at the thresholds for the registry', async () => {
    const me = realFace(0);
    const { scope: s } = await searchForPerson(await getDb(), [me, like(me), like(me)], { scope });
    assert.deepEqual(s.references, { photos: 3, groups: 1 });
    const one = thresholdsForRegistry({ faces: scope.faces, labels: scope.labels });
    assert.equal(s.thresholds!.photo.shown, Math.round(one.photo.shown * 1e4) / 1e4);
    assert.ok(one.photo.shown < calibration().tiers.shown, 'at a million faces the shown tier is stricter than the calibrated one');
  });

  test('references that disagree are searched as groups, each paid for in the thresholds', async () => {
    const me = realFace(0);
    const other = realFace(1000);
    const { scope: s } = await searchForPerson(await getDb(), [me, other, like(me)], { scope });
    assert.deepEqual(s.references, { photos: 3, groups: 2 });
    const two = thresholdsForRegistry({ faces: 2 * scope.faces, labels: 2 * scope.labels });
    const one = thresholdsForRegistry({ faces: scope.faces, labels: scope.labels });
    assert.equal(s.thresholds!.photo.shown, Math.round(two.photo.shown * 1e4) / 1e4);
    assert.ok(two.photo.shown < one.photo.shown && two.photo.possible < one.photo.possible);
    // The strangers a request can expect stay within the budget with both probes counted.
    assert.ok(s.thresholds!.expectedStrangers.shown <= 0.01 + 1e-9 && s.thresholds!.expectedStrangers.possible <= 1 + 1e-9);
  });
});
