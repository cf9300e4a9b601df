import { deploymentEvidence } from '@/lib/deployments/deployment-evidence';
import { bundleCertificateId, bundleTreeSize } from './bundle';
import { consistencyProofBetween, latestTreeHead } from './transparency-log';
import type { OnlineEvidence } from './verify-bundle';
import { listRefusals } from './witness-refusals';

/**
 * This platform's latest signed head, a consistency proof to it from the bundle's head (when the
 * bundle's head is one of ours), the partner's deployment acknowledgements of the certificate, and
 * the latest refusals its witnesses reported.
 */
export async function onlineEvidenceFor(bundle: unknown): Promise<OnlineEvidence | undefined> {
  const latest = await latestTreeHead();
  if (!latest) return undefined;
  const id = bundleCertificateId(bundle);
  const deployments = id ? await deploymentEvidence(id) : undefined;
  const refusals = (await listRefusals(3)).map(({ witness, refusedAt, reason }) => ({ witness, refusedAt, reason }));
  const size = bundleTreeSize(bundle);
  if (size === null || size > latest.size) return { latest, consistency: [], deployments, refusals };
  return { latest, consistency: await consistencyProofBetween(size, latest.size), deployments, refusals };
}
