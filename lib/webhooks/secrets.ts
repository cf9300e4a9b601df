import crypto from 'node:crypto';
import { open, seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';

/** A Standard Webhooks secret: `whsec_` + 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

export function sealSecret(secret: string, endpointId: string): string {
  return seal(Buffer.from(secret), getDataKey(), `webhook-secret:${endpointId}`).toString('base64');
}

export function openSecret(sealed: string, endpointId: string): string {
  return open(Buffer.from(sealed, 'base64'), getDataKey(), `webhook-secret:${endpointId}`).toString('utf8');
}
