import { deploymentEvidence } from '@/lib/deployments/deployment-evidence';
import { bundleCertificateId, bundleTreeSize } from './bundle';
import { consistencyProofBetween, latestTreeHead } from './transparency-log';
import type { OnlineEvidence } from './verify-bundle';

/**
 * This platform's latest signed head, a consistency proof to it from the bundle's head (when the
 * bundle's head is one of ours), and the partner's deployment acknowledgements of the certificate.
 */
export async function onlineEvidenceFor(bundle: unknown): Promise<OnlineEvidence | undefined> {
  const latest = await latestTreeHead();
  if (!latest) return undefined;
  const id = bundleCertificateId(bundle);
  const deployments = id ? await deploymentEvidence(id) : undefined;
  const size = bundleTreeSize(bundle);
  if (size === null || size > latest.size) return { latest, consistency: [], deployments };
  return { latest, consistency: await consistencyProofBetween(size, latest.size), deployments };
}
