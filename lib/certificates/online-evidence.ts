import type { Bundle } from './bundle';
import { consistencyProofBetween, latestTreeHead } from './transparency-log';
import type { OnlineEvidence } from './verify-bundle';

/** This platform's latest signed head and a consistency proof to it from the bundle's head, when the bundle's head is one of ours. */
export async function onlineEvidenceFor(bundle: Bundle): Promise<OnlineEvidence | undefined> {
  const latest = await latestTreeHead();
  if (!latest || !(bundle?.treeHead?.size >= 1) || bundle.treeHead.size > latest.size) return latest ? { latest, consistency: [] } : undefined;
  return { latest, consistency: await consistencyProofBetween(bundle.treeHead.size, latest.size) };
}
