import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in a real Chromium against the real production build on the embedded default,
 * with its own data directory. The browser: Playwright's own if installed, else the system Chromium
 * (.ci/install-chromium.sh installs Debian's).
 */
export const E2E_PORT = 3100;
export const E2E_DATA_DIR = path.resolve('.e2e-data');
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const ownBrowser = fs.existsSync(path.join(process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(process.env.HOME ?? '', '.cache/ms-playwright')));

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: ownBrowser ? undefined : systemChromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && npx next build && node --import tsx server.ts -p ${E2E_PORT}`,
    url: `http://localhost:${E2E_PORT}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      FORGETME_DATA_DIR: E2E_DATA_DIR,
      // No FORGETME_PUBLIC_URL: the links in e-mails must follow the port (-p) by themselves.
      // Every test signs up from loopback, one network: the per-network sign-up limit would stop the suite.
      FORGETME_SIGN_UPS_PER_NETWORK: '1000',
      FORGETME_SEED_DEMO: '1',
      FORGETME_LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: '1',
      DATABASE_URL: '',
    },
  },
});
