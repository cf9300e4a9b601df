import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/config/env';

/**
 * Platform secrets: taken from the environment when set, otherwise generated once into
 * <data dir>/secrets (mode 0600) so that the embedded default works with no configuration.
 * Creation is race-free across processes (exclusive create; the loser reads the winner's file).
 */
function fileSecret(name: string, generate: () => string): string {
  const dir = path.join(env().dataDir, 'secrets');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  try {
    fs.writeFileSync(file, generate(), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}

let dataKey: Buffer | undefined;
/** The 32-byte AES-256-GCM key for biometric data at rest (FORGETME_DATA_KEY). */
export function getDataKey(): Buffer {
  dataKey ??= Buffer.from(env().dataKey ?? fileSecret('data-key', () => crypto.randomBytes(32).toString('base64')), 'base64');
  return dataKey;
}

let authSecret: string | undefined;
/** The secret that signs and encrypts session tokens (AUTH_SECRET). */
export function getAuthSecret(): string {
  authSecret ??= env().authSecret ?? fileSecret('auth-secret', () => crypto.randomBytes(33).toString('base64'));
  return authSecret;
}

let signingKeyPem: string | undefined;
/** The current Ed25519 certificate-signing key, PKCS#8 PEM (FORGETME_SIGNING_KEY). */
export function getSigningKeyPem(): string {
  signingKeyPem ??=
    env().signingKeyPem ??
    fileSecret('signing-key.pem', () => crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return signingKeyPem;
}

/** Tests only: forget loaded secrets (after changing the data directory). */
export function resetSecretsForTests(): void {
  dataKey = undefined;
  authSecret = undefined;
  signingKeyPem = undefined;
}
