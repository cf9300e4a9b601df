import crypto from 'node:crypto';
import { AppError } from '@/lib/errors/app-error';

/**
 * AES-256-GCM for biometric data at rest. Sealed format:
 *   version (1 byte = 1) | key id (4 bytes, sha256(key)[0..4]) | iv (12) | ciphertext | tag (16)
 * The key id lets a wrong or rotated key fail with a clear error instead of a bare auth failure.
 * `context` is bound as additional authenticated data: a blob sealed for one record cannot be
 * swapped into another.
 */
const VERSION = 1;
const HEADER = 1 + 4 + 12;
const TAG = 16;

function keyId(key: Buffer): Buffer {
  return crypto.createHash('sha256').update(key).digest().subarray(0, 4);
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new TypeError(`AES-256-GCM key must be 32 bytes, got ${key.length}`);
}

export function seal(plaintext: Uint8Array, key: Buffer, context = ''): Buffer {
  checkKey(key);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), keyId(key), iv, body, cipher.getAuthTag()]);
}

export function open(sealed: Uint8Array, key: Buffer, context = ''): Buffer {
  checkKey(key);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < HEADER + TAG || buf[0] !== VERSION) {
    throw new AppError('decryption_failed', 'The encrypted data is not in a format this version can read.');
  }
  if (!buf.subarray(1, 5).equals(keyId(key))) {
    throw new AppError('decryption_failed', 'The encrypted data was sealed with a different data key (FORGETME_DATA_KEY).');
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(5, HEADER));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(buf.subarray(buf.length - TAG));
  try {
    return Buffer.concat([decipher.update(buf.subarray(HEADER, buf.length - TAG)), decipher.final()]);
  } catch {
    throw new AppError('decryption_failed', 'The encrypted data was altered or belongs to another record.');
  }
}
