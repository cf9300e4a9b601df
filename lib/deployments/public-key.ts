import crypto from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { AppError } from '@/lib/errors/app-error';
import type { PublicEd25519Jwk } from './deployment-statement';

const PRIVATE = 'This is a private key. Register only its public half (openssl pkey -in key.pem -pubout); the private key never leaves your systems.';

/**
 * Reads an Ed25519 public key given as PEM (SPKI, "BEGIN PUBLIC KEY") or as a JWK, and returns it as
 * a JWK with its RFC 7638 thumbprint (the key id acknowledgements are signed under). A private key
 * is refused without being kept, and so is any other algorithm.
 */
export async function readPublicKey(input: string): Promise<{ publicJwk: PublicEd25519Jwk; kid: string }> {
  const text = input.trim();
  let key: crypto.KeyObject;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as crypto.JsonWebKey;
      if (jwk.d !== undefined) throw new AppError('validation_failed', PRIVATE);
      key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    } else {
      if (/PRIVATE KEY/.test(text)) throw new AppError('validation_failed', PRIVATE);
      key = crypto.createPublicKey(text);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('validation_failed', 'The public key could not be read: give it as PEM ("-----BEGIN PUBLIC KEY-----") or as a JWK.');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError('validation_failed', `This is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; deployment keys are Ed25519.`);
  }
  const exported = key.export({ format: 'jwk' });
  const publicJwk: PublicEd25519Jwk = { kty: 'OKP', crv: 'Ed25519', x: String(exported.x) };
  return { publicJwk, kid: await calculateJwkThumbprint(publicJwk, 'sha256') };
}
