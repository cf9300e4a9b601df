import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resetEnvForTests } from '@/lib/config/env';
import { resetSecretsForTests } from '@/lib/crypto/secrets';

/**
 * Gives the current test process its own data directory (secrets, blobs, mail outbox) and a
 * quiet logger. Call once at the top of a test file, before anything reads the environment.
 */
export function setUpTestEnvironment(): { dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-test-'));
  process.env.FORGETME_DATA_DIR = dataDir;
  process.env.FORGETME_LOG_LEVEL ??= 'error';
  process.env.FORGETME_SEED_DEMO = '0';
  delete process.env.DATABASE_URL;
  delete process.env.SMTP_URL;
  resetEnvForTests();
  resetSecretsForTests();
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { dataDir };
}
