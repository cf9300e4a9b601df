import crypto from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { getDb, getDbHandle, type DbHandle } from '@/db/client';
import { signingKeys } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { getSigningKeyPem } from './secrets';

export type PlatformSigningKey = { kid: string; privateKey: crypto.KeyObject; publicJwk: JWK };

let current: Promise<PlatformSigningKey> | undefined;
let registeredIn: DbHandle | undefined;

/**
 * The platform's current Ed25519 key, with its RFC 7638 thumbprint as key id. Its public half is
 * registered in signing_keys on first use (in each database the process uses), so that it stays
 * published after a rotation.
 */
export async function getSigningKey(): Promise<PlatformSigningKey> {
  const handle = await getDbHandle();
  if (registeredIn !== handle) current = undefined;
  registeredIn = handle;
  current ??= (async () => {
    const privateKey = crypto.createPrivateKey(getSigningKeyPem());
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('FORGETME_SIGNING_KEY: must be an Ed25519 key');
    const jwk = await exportJWK(crypto.createPublicKey(privateKey));
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    const publicJwk: JWK = { ...jwk, kid, alg: 'EdDSA', use: 'sig' };
    const db = await getDb();
    await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(signingKeys)
        .values({ kid, algorithm: 'EdDSA', publicJwk: publicJwk as Record<string, string>, notBefore: new Date() })
        .onConflictDoNothing()
        .returning({ kid: signingKeys.kid });
      if (inserted.length) {
        await recordAuditEvent(tx, {
          actor: { type: 'system' },
          event: { action: 'signing_key.registered', subject: { type: 'signing_key', id: kid }, data: { algorithm: 'EdDSA' } },
        });
      }
    });
    return { kid, privateKey, publicJwk };
  })().catch((err) => {
    current = undefined;
    throw err;
  });
  return current;
}

/** Tests only. */
export function resetSigningKeyForTests(): void {
  current = undefined;
  registeredIn = undefined;
}
