import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { partnerVector } from '../lib/testing/partner-vectors';
import { DEMO_PASSWORD, demoPartnerAdmin, signInByForm } from './fixtures';

const run = promisify(execFile);
const DEMO = path.resolve('db/seed/demo-faces/training');

type Embedded = { path: string; faces?: { box: number[]; descriptor: number[] }[] };

/**
 * Runs before the journey (file order): the demo partner's second model is trained on its own
 * 512-d vectors, so the journey's removal and certificate cover it too (journey.spec.ts checks).
 */
test('a partner registers its own embedding model, imports its vectors with the CLI, and trains a head on them', async ({ page, playwright }) => {
  test.setTimeout(300_000);
  const admin = await demoPartnerAdmin(playwright);
  const datasetId = (await (await admin.get('/api/v1/models')).json()).data[0].datasetId as string;

  const trainingData = 'A fixed random projection of forgetme descriptors, made by the end-to-end test; it saw no training set.';
  const registered = await admin.post('/api/v1/embedding-models', { data: { name: 'e2e-net', version: '1', dimension: 512, trainingData } });
  expect(registered.status()).toBe(201);
  const embeddingModelId = (await registered.json()).embeddingModel.id as string;

  // Not before every item has a vector: the model is refused, the items named.
  const early = await admin.post('/api/v1/models', { data: { name: 'Own embeddings', datasetId, kind: 'newton-certified', embeddingModelId } });
  expect(early.status()).toBe(422);
  expect((await early.json()).error.message).toMatch(/items have no vector from "e2e-net" 1/);

  // The partner's vectors: for each photo, the stand-in network of its largest face (lib/testing/partner-vectors.ts).
  const rows = fs
    .readFileSync(path.join(DEMO, 'manifest.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-embeddings-'));
  const env = { ...process.env, FORGETME_DATA_DIR: tmp, FORGETME_LOG_LEVEL: 'error' };
  const embedded = await run('node', ['lib/cli/forgetme.mjs', 'faces', 'embed', ...rows.map((r) => path.join(DEMO, r[2]))], {
    env,
    maxBuffer: 64 * 2 ** 20,
  }).catch((err: { stdout: string }) => err); // an image without a face makes the command exit 1; its line says so
  const lines = embedded.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Embedded);
  const vectors = lines.flatMap((l, i) => {
    const largest = (l.faces ?? []).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
    return largest ? [JSON.stringify({ id: rows[i][0], vector: Array.from(partnerVector(largest.descriptor)) })] : [];
  });
  const file = path.join(tmp, 'vectors.jsonl');
  fs.writeFileSync(file, vectors.join('\n') + '\n');

  // A page with the console's default scopes (datasets:write, models:read) is what the CLI needs.
  await signInByForm(page, 'admin@facelab.example', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/partner$/);
  await page.goto('/partner/keys');
  await page.getByLabel('Name (what uses it').fill('embeddings');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByLabel('Your new key').inputValue();
  const cli = () =>
    run(
      'node',
      ['lib/cli/forgetme.mjs', 'partner', 'import', '--features', file, '--dataset', datasetId, '--embedding-model', embeddingModelId, '--batch', '40'],
      {
        env: { ...env, FORGETME_API_URL: `http://localhost:${E2E_PORT}`, FORGETME_API_KEY: key },
      },
    );
  const parse = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  const first = parse((await cli()).stdout);
  expect(first.at(-1)).toMatchObject({ event: 'done', vectors: vectors.length, stored: vectors.length, withoutVector: 0 });
  // Run again: every batch was sent already.
  const second = parse((await cli()).stdout);
  expect(second.filter((l) => l.event === 'batch').every((l) => l.status === 'already sent')).toBe(true);
  expect(second.at(-1)).toMatchObject({ event: 'done', stored: 0, withoutVector: 0 });

  // A bad file is refused before anything is sent, the line and item named.
  const bad = path.join(tmp, 'bad.jsonl');
  fs.writeFileSync(bad, `${vectors[0]}\n{"id": "${rows[1][0]}", "vector": [1, 2, 3]}\n`);
  const refused = await run(
    'node',
    ['lib/cli/forgetme.mjs', 'partner', 'import', '--features', bad, '--dataset', datasetId, '--embedding-model', embeddingModelId],
    {
      env: { ...env, FORGETME_API_URL: `http://localhost:${E2E_PORT}`, FORGETME_API_KEY: key },
    },
  ).then(
    () => null,
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  expect(refused?.code).toBe(2);
  expect(refused?.stderr).toContain(`line 2 (item "${rows[1][0]}")`);
  expect(parse(refused!.stdout)).toEqual([expect.objectContaining({ event: 'refused', line: 2, externalId: rows[1][0], code: 'wrong_dimension' })]);

  const created = await admin.post('/api/v1/models', { data: { name: 'Own embeddings', datasetId, kind: 'newton-certified', embeddingModelId } });
  expect(created.status()).toBe(202);
  const modelId = (await created.json()).model.id as string;
  await expect
    .poll(async () => (await (await admin.get(`/api/v1/models/${modelId}`)).json()).model?.latestVersion?.version ?? 0, {
      timeout: 120_000,
      message: 'the head on the partner vectors is trained',
    })
    .toBe(1);
  const model = (await (await admin.get(`/api/v1/models/${modelId}`)).json()).model;
  expect(model.embeddingModelId).toBe(embeddingModelId);
  expect(model.latestVersion.accuracy).toBeGreaterThan(0.5);
  // The console names what each model is trained on.
  await page.goto(`/partner/models/${modelId}`);
  await expect(page.getByTestId('model-features')).toContainText('your embedding model “e2e-net” version 1 (512 values per photo)');
  await page.goto('/partner/models');
  await expect(page.getByTestId('embedding-models')).toContainText(trainingData);
  fs.rmSync(tmp, { recursive: true, force: true });
});
