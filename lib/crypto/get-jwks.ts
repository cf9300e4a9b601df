import { asc } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { signingKeys } from '@/db/schema';
import { getSigningKey } from './signing-key';

/**
 * Every public key the platform has signed with, current and retired, as a JWKS. Each key carries
 * its validity period (`nbf`, and `exp` once retired) so a verifier can check a signature against
 * the key that was valid when it was made.
 */
export async function getJwks(): Promise<{ keys: Record<string, unknown>[] }> {
  await getSigningKey();
  const db = await getDb();
  const rows = await db.select().from(signingKeys).orderBy(asc(signingKeys.notBefore));
  return {
    keys: rows.map((r) => ({
      ...r.publicJwk,
      kid: r.kid,
      nbf: Math.floor(r.notBefore.getTime() / 1000),
      ...(r.notAfter ? { exp: Math.floor(r.notAfter.getTime() / 1000) } : {}),
    })),
  };
}
