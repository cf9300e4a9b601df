import { bundleTreeSize } from './bundle';
import { consistencyProofBetween, latestTreeHead } from './transparency-log';
import type { OnlineEvidence } from './verify-bundle';

/** This platform's latest signed head and a consistency proof to it from the bundle's head, when the bundle's head is one of ours. */
export async function onlineEvidenceFor(bundle: unknown): Promise<OnlineEvidence | undefined> {
  const latest = await latestTreeHead();
  if (!latest) return undefined;
  const size = bundleTreeSize(bundle);
  if (size === null || size > latest.size) return { latest, consistency: [] };
  return { latest, consistency: await consistencyProofBetween(size, latest.size) };
}
