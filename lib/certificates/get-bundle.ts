import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import type { Bundle } from './bundle';
import { signedCheckpoint } from './log-tiles';
import { witnessedSince } from './witness-cosignatures';
import { inclusionProofAt, treeHeadAt } from './transparency-log';

/** certificate.json for a certificate: the envelope, the head signed when it was logged (also as a C2SP checkpoint), and the path to it. */
export async function getBundle(certificateId: string): Promise<Bundle> {
  const db = await getDb();
  const [c] = await db.select().from(certificates).where(eq(certificates.id, certificateId));
  if (!c) throw new AppError('not_found', 'No certificate with this id exists.');
  const size = c.leafIndex + 1;
  const [treeHead, hashes, checkpoint, witnessed] = await Promise.all([
    treeHeadAt(size),
    inclusionProofAt(c.leafIndex, size),
    signedCheckpoint(size),
    witnessedSince(size),
  ]);
  return {
    mediaType: 'application/vnd.forgetme.certificate.v1+json',
    envelope: c.envelope,
    inclusionProof: { leafIndex: c.leafIndex, treeSize: size, hashes },
    treeHead,
    ...(checkpoint ? { checkpoint } : {}),
    ...(witnessed ? { witnessed } : {}),
  };
}
