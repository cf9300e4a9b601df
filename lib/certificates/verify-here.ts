import { getJwks } from '@/lib/crypto/get-jwks';
import { onlineEvidenceFor } from './online-evidence';
import { verifyBundle, type Jwk, type Verification } from './verify-bundle';

/** Verifies a bundle against this platform's published keys and its log as it is now (the /verify page). */
export async function verifyHere(bundle: unknown): Promise<Verification> {
  const jwks = (await getJwks()) as { keys: Jwk[] };
  const online = await onlineEvidenceFor(bundle).catch(() => undefined);
  return verifyBundle(bundle, jwks, online);
}
