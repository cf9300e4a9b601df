import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RemovalVersionReport } from '@/lib/models/version-report';
import { releaseCommitments, releaseInputs } from '@/lib/removals/release-commitments';
import { removalBudget } from '@/lib/unlearning/budget';
import { readModelJson, saveModel } from '@/lib/unlearning/model-file';
import type { NewtonModel } from '@/lib/unlearning/model';
import { removeSamples } from '@/lib/unlearning/remove';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { copyModel } from '@/lib/unlearning/test-helpers';
import { trainNewton } from '@/lib/unlearning/train';
import { FORGETME_FEATURES } from '@/lib/embeddings/features-facts';
import { buildPredicate } from './build-predicate';
import { replayRelease } from './replay-release';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-replay-test-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
const s = syntheticFaces({ identities: 6, perIdentity: 8, d: 16, seed: 4, spread: 0.7 });
const params = { lambda: 1e-3, sigma: 0.1, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 2 };
const trained = (await trainNewton(s, s.centre, params)).model;
const removedIds = [s.ids[2], s.ids[9]];
const released = await removeSamples(trained, removedIds);

/** Saves both versions as the platform does and returns the certificate's entry for the release, as the platform would sign it. */
function certify(name: string, before: NewtonModel, after: NewtonModel, residual: number) {
  const dirs = { beforeDir: path.join(root, `${name}-before`), afterDir: path.join(root, `${name}-after`) };
  const budget = removalBudget(params);
  const weights = saveModel(dirs.afterDir, after, { residual, budget });
  saveModel(dirs.beforeDir, before, { residual: 0, budget });
  const digest = (dir: string) => ({ 'model.json': require256(path.join(dir, 'model.json')) });
  const inputs = (m: NewtonModel, dir: string) => releaseInputs({ model: m, json: readModelJson(dir) }, digest(dir));
  const report: RemovalVersionReport = {
    schema: 2,
    kind: 'removal',
    method: 'newton-certified',
    engine: 'test',
    params: { ...after.params },
    residual,
    budget,
    residualEstablished: 'computed',
    steps: 1,
    retrained: false,
    noise: 'redrawn',
    removedSamples: removedIds.length,
    classesDropped: [],
    taskIds: [],
    itemsRequested: removedIds.length,
    accuracyBefore: null,
    accuracyAfter: null,
    identityTest: null,
    evidence: {},
    commitments: releaseCommitments(inputs(before, dirs.beforeDir), inputs(after, dirs.afterDir), removedIds),
    seconds: {},
    wallSeconds: 0,
  };
  const version = (n: number, sha: string) => ({ version: n, weightsSha256: sha, accuracy: null, budgetUsed: 0 });
  const predicate = buildPredicate({
    certificateId: 'c',
    requestId: 'r',
    organization: { id: 'o', name: 'o' },
    issuedAt: new Date(0),
    datasets: [],
    models: [
      {
        model: { id: 'm', name: 'head', kind: 'newton-certified', params },
        features: FORGETME_FEATURES,
        before: version(1, 'a'.repeat(64)),
        after: { ...version(2, weights), noiseSource: 'secret' },
        report,
        evidence: null,
      },
    ],
    software: 'test',
  });
  return { ...dirs, entry: predicate.models[0] };
}

function require256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const failing = (checks: ReturnType<typeof replayRelease>) => checks.filter((c) => !c.ok).map((c) => c.id.split(':')[1]);

test('a genuine release replays: every commitment matches and the recomputed residual is within ε′', () => {
  const checks = replayRelease(certify('genuine', trained, released.model, released.report.residual));
  assert.deepEqual(failing(checks), []);
  assert.ok(checks.some((c) => c.id.endsWith(':residual')));
});

test('a platform that lies consistently (weights moved, every digest recomputed) is caught by the residual alone', () => {
  const moved = copyModel(released.model);
  moved.weights[3] += 0.05;
  assert.deepEqual(failing(replayRelease(certify('lying', trained, moved, released.report.residual))), ['residual']);
});

test('the original model released unchanged, or its old weights passed off as the release, fails the replay', () => {
  assert.ok(failing(replayRelease(certify('unchanged', trained, copyModel(trained), 0))).includes('removed'));
  // The rows removed and the noise redrawn, but the weights not moved (no step converged): the residual is far above ε′.
  const stale = copyModel(released.model);
  stale.weights.set(trained.weights.subarray(0, stale.weights.length));
  assert.deepEqual(failing(replayRelease(certify('stale', trained, stale, released.report.residual))), ['residual']);
});
