import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { embedImage } from '@/lib/faces/embed-image';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { calibratedCohort, calibration } from './calibration';
import { cohortBytes, cohortDistance, cohortOffset, cohortVectors, normalisedDistance, searchRadius } from './cohort';
import { Rng } from '@/lib/unlearning/rng';
import { l2, personDistance } from './probes';

setUpTestEnvironment();
const basis = (i: number, scale = 1) => Array.from({ length: 128 }, (_, j) => (j === i ? scale : 0));

test('cohort distance: the mean of the k nearest cohort faces, the same photo skipped', () => {
  // Cohort faces at distances 1, 2, 3, 4 from the origin, plus the origin itself.
  const cohort = [basis(0, 1), basis(1, 2), basis(2, 3), basis(3, 4), basis(0, 0)];
  const vectors = cohortVectors(cohortBytes(cohort));
  assert.equal(vectors.length, 5 * 128);
  assert.equal(cohortDistance(basis(0, 0), { vectors, k: 2 }), 1.5);
  assert.equal(cohortDistance(basis(0, 0), { vectors, k: 4 }), 2.5);
  assert.equal(cohortDistance(basis(0, 0), { vectors, k: 10 }), 2.5, 'k larger than the cohort averages what there is');
  assert.ok(Math.abs(cohortDistance(basis(5, 1), { vectors, k: 1 }) - 1) < 1e-12, 'the origin is 1 away');
  assert.throws(() => cohortVectors(Buffer.alloc(100)), RangeError);
  // Each cohort face measured without itself.
  const offset = cohortOffset(vectors, 1);
  const expected = (1 + 2 + 3 + 4 + 1) / 5; // each one's nearest other face is the origin (the origin's is e0)
  assert.ok(Math.abs(offset - expected) < 1e-6, `${offset} vs ${expected}`);
});

test('normalisation ranks a face in an empty neighbourhood above an equally distant face in a crowded one', () => {
  // A crowd of strangers around one direction: a face there is near everybody.
  const crowd = Array.from({ length: 50 }, (_, i) => basis(0, 1).map((x, j) => x + (j === 1 + (i % 40) ? 0.3 : 0)));
  const cohort = { vectors: cohortVectors(cohortBytes(crowd)), k: 10, offset: 0.5 };
  const probe = basis(0, 1).map((x, j) => (j === 100 ? 0.5 : x));
  const crowded = basis(0, 1); // the centre of the crowd, 0.5 from the probe
  const isolated = probe.map((x, j) => (j === 120 ? 0.5 : x)); // also 0.5 from the probe, away from the crowd
  const raw = [l2(probe, crowded), l2(probe, isolated)];
  const score = personDistance([probe], cohort);
  assert.ok(cohortDistance(crowded, cohort) < cohortDistance(isolated, cohort));
  assert.ok(Math.abs(raw[0] - raw[1]) < 1e-12, `raw ${raw}`);
  assert.ok(score(isolated) < score(crowded), 'the isolated face is the better match once the crowd is accounted for');
  assert.equal(score(crowded, cohortDistance(crowded, cohort)), score(crowded), 'a stored cohort distance gives the same score');
  assert.equal(normalisedDistance(0.5, 0.6, 0.4, 0.5), 0.5);
});

test('the calibrated cohort loads, and with it the same person matches and different people do not', async () => {
  const cal = calibration();
  const cohort = calibratedCohort();
  assert.ok(cohort && cal.cohort, 'the committed calibration uses cohort-normalised distances');
  assert.equal(cohort.vectors.length, cal.cohort.faces * 128);
  const fixture = async (name: string) => {
    const r = await embedImage(fs.readFileSync(path.join(import.meta.dirname, '..', 'faces', 'fixtures', name)));
    assert.ok(r.ok && r.faces.length >= 1);
    return r.faces[0].descriptor;
  };
  const [a1, a2, a3, g1, g4] = [
    await fixture('Adrien_Brody_0001.jpg'),
    await fixture('Adrien_Brody_0002.jpg'),
    await fixture('Adrien_Brody_0003.jpg'),
    await fixture('Abdullah_Gul_0001.jpg'),
    await fixture('Abdullah_Gul_0004.jpg'),
  ];
  const brody = personDistance([a1], cohort);
  const gul = personDistance([g1], cohort);
  for (const d of [brody(a2), brody(a3), gul(g4)]) assert.ok(d < cal.tiers.possible, `same person at ${d}`);
  for (const d of [brody(g1), brody(g4), gul(a2), gul(a3)]) assert.ok(d > cal.tiers.possible, `different people at ${d}`);
});

test('the search radius holds every face that normalises inside the threshold, and no more than it must', () => {
  const rng = new Rng(11);
  const offset = 0.58;
  for (let i = 0; i < 10_000; i++) {
    const [probe, largest, threshold] = [0.4 + 0.3 * rng.uniform(), 0.4 + 0.4 * rng.uniform(), 0.3 + 0.3 * rng.uniform()];
    const face = largest * rng.uniform();
    const raw = 1.2 * rng.uniform();
    const radius = searchRadius(threshold, probe, largest, offset);
    if (normalisedDistance(raw, probe, face, offset) < threshold) assert.ok(raw < radius, `raw ${raw} outside radius ${radius}`);
    // The most isolated face just inside the radius is inside the threshold: the radius is tight.
    assert.ok(normalisedDistance(radius - 1e-9, probe, largest, offset) < threshold);
  }
});
