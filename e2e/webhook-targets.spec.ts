import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signInByForm } from './fixtures';

/**
 * The suite's server allows private webhook targets (its receivers listen on loopback). This spec
 * starts a second server from the same build with the default, where they are refused, and checks
 * that the refusal names the setting that allows them. No FORGETME_PUBLIC_URL either: links follow
 * the port.
 */
const PORT = 3101;
let server: ChildProcess | null = null;
let dataDir = '';

test.use({ baseURL: `http://localhost:${PORT}` });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-default-'));
  const env: NodeJS.ProcessEnv = { ...process.env, FORGETME_DATA_DIR: dataDir, FORGETME_SEED_DEMO: '1', FORGETME_LOG_LEVEL: 'warn', DATABASE_URL: '' };
  delete env.WEBHOOK_ALLOW_PRIVATE_TARGETS;
  delete env.FORGETME_PUBLIC_URL;
  server = spawn('node', ['--import', 'tsx', 'server.ts', '-p', String(PORT)], { env, stdio: 'ignore' });
  await expect
    .poll(
      () =>
        fetch(`http://localhost:${PORT}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 90_000, message: 'the second server answers' },
    )
    .toBe(200);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('by default a webhook to a private address is refused, and the refusal names the setting that allows it', async ({ page }) => {
  await signInByForm(page, 'admin@facelab.example', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/partner$/);
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  const refusal = page.locator('[role=alert]:not(#__next-route-announcer__)');
  // Plain http is for development only, and the message says how to allow it.
  await page.getByLabel('URL (https)').fill('http://127.0.0.1:9/hooks');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(refusal).toContainText('plain http:// is allowed only in development');
  await expect(refusal).toContainText('WEBHOOK_ALLOW_PRIVATE_TARGETS=1');
  // An https URL on a loopback address: refused as private, naming the same setting.
  await page.getByLabel('URL (https)').fill('https://127.0.0.1:9/hooks');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(refusal).toContainText('private, loopback or link-local');
  await expect(refusal).toContainText('WEBHOOK_ALLOW_PRIVATE_TARGETS=1');
  await expect(page.getByLabel(/Signing secret/)).toHaveCount(0);
});
