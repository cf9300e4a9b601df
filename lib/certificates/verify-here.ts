import { env } from '@/lib/config/env';
import { getJwks } from '@/lib/crypto/get-jwks';
import { onlineEvidenceFor } from './online-evidence';
import { witnessPolicy, type WitnessPolicy } from './witness-policy';
import { verifyBundle, type Jwk, type Verification } from './verify-bundle';

/** Verifies a bundle against this platform's published keys, its log as it is now, and its configured witness policy (the /verify page). */
export async function verifyHere(bundle: unknown, policy?: WitnessPolicy): Promise<Verification> {
  const jwks = (await getJwks()) as { keys: Jwk[] };
  const online = await onlineEvidenceFor(bundle).catch(() => undefined);
  const e = env();
  return verifyBundle(bundle, jwks, online, policy ?? witnessPolicy(e.witnesses, e.witnessQuorum));
}
