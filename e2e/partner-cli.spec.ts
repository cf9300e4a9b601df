import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { signInByForm, signUpAndVerify, uniqueEmail } from './fixtures';

const run = promisify(execFile);
const DEMO = path.resolve('db/seed/demo-faces/training');

test('forgetme partner import uploads a folder through the API, and a second run sends nothing twice', async ({ page, request }) => {
  test.setTimeout(180_000);
  const admin = uniqueEmail('cli');
  await signUpAndVerify(page, { kind: 'partner', name: 'Cleo Cli', email: admin, password: 'a long password', organizationName: `Cli ${Date.now()}` });
  await signInByForm(page, admin, 'a long password');
  await expect(page).toHaveURL(/\/partner$/);
  await page.goto('/partner/keys');
  await page.getByLabel('Name (what uses it').fill('cli');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByLabel('Your new key').inputValue();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-cli-'));
  const people = fs
    .readdirSync(DEMO)
    .filter((p) => fs.statSync(path.join(DEMO, p)).isDirectory())
    .slice(6, 8);
  const rows: string[] = [];
  for (const p of people) {
    fs.mkdirSync(path.join(dir, p));
    for (const f of fs.readdirSync(path.join(DEMO, p)).sort().slice(0, 2)) {
      fs.copyFileSync(path.join(DEMO, p, f), path.join(dir, p, f));
      rows.push(`${f.replace('.jpg', '')},${p},${p}/${f}`);
    }
  }
  const manifest = path.join(dir, 'labels.csv');
  fs.writeFileSync(manifest, ['external_id,label,file', ...rows].join('\n'));
  const env = { ...process.env, FORGETME_API_URL: `http://localhost:${E2E_PORT}`, FORGETME_API_KEY: key, FORGETME_DATA_DIR: dir, FORGETME_LOG_LEVEL: 'error' };
  const cli = (extra: string[]) =>
    run('node', ['lib/cli/forgetme.mjs', 'partner', 'import', dir, '--manifest', manifest, '--create-dataset', 'From the CLI', '--batch', '2', ...extra], {
      env,
    });

  const first = await cli([]);
  const lines = first.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const done = lines.at(-1);
  expect(done).toMatchObject({ event: 'done', batches: 2, created: 4, failed: 0 });
  expect(lines.filter((l) => l.event === 'embedded')).toHaveLength(2);

  const second = await cli(['--no-wait']);
  const again = second.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(again.filter((l) => l.event === 'batch').map((l) => l.status)).toEqual(['already sent', 'already sent']);
  expect(again.at(-1)).toMatchObject({ datasetId: done.datasetId, created: 0 });

  const ds = await (await request.get(`/api/v1/datasets/${done.datasetId}`, { headers: { authorization: `Bearer ${key}` } })).json();
  expect(ds.dataset.items).toMatchObject({ total: 4, embedded: 4 });
  fs.rmSync(dir, { recursive: true, force: true });
});
