import { and, gt, lt, ne } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { faceGuard } from '@/db/schema';
import { open, seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { l2 } from '@/lib/matcher/probes';

/** How long a live face is kept to refuse the same face from another account. */
export const GUARD_DAYS = 30;
/**
 * Two live captures this close (raw descriptor distance) are taken for the same face. Far
 * stricter than the matcher's verification point (0.537), since every search is compared with
 * every guarded face and a false flag refuses an honest person: on 2,961,984 pairs of different
 * people's photos (AT&T and LFW lfw-train) none is this close (at 0.40, 11 were: with 10,000
 * guarded faces, 4 % of honest searches would be refused). The price: of one person's pairs of
 * different photos (years apart), 8 % are caught; two captures in like conditions sit far closer
 * (0.085 at most between captures built from the same portraits). bench/liveness.ts.
 */
export const SAME_FACE = 0.3;

const context = (id: string) => `face-guard:${id}`;

/**
 * The accounts, other than `userId`, whose live face in the last GUARD_DAYS is `live`'s. Every
 * guarded face is opened and compared in memory, once per passed capture: linear in the guarded
 * faces (not measured at scale); an index would need the faces unsealed.
 */
export async function otherAccountsWithFace(tx: Executor, userId: string, live: readonly number[]): Promise<string[]> {
  const rows = await tx
    .select()
    .from(faceGuard)
    .where(and(ne(faceGuard.userId, userId), gt(faceGuard.expiresAt, new Date())));
  const key = getDataKey();
  const found = new Set<string>();
  for (const r of rows) {
    const bytes = open(Buffer.from(r.descriptorSealed, 'base64'), key, context(r.id));
    const d = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    if (l2(d, live) <= SAME_FACE) found.add(r.userId);
  }
  return [...found];
}

export async function guardFace(tx: Executor, userId: string, live: readonly number[]): Promise<void> {
  const id = crypto.randomUUID();
  const descriptorSealed = seal(Buffer.from(new Float64Array(live).buffer), getDataKey(), context(id)).toString('base64');
  await tx.insert(faceGuard).values({ id, userId, descriptorSealed, expiresAt: new Date(Date.now() + GUARD_DAYS * 86400_000) });
}

/** The accounts sweep: guarded faces past their time are deleted. */
export async function deleteExpiredGuards(tx: Executor): Promise<number> {
  return (await tx.delete(faceGuard).where(lt(faceGuard.expiresAt, new Date())).returning({ id: faceGuard.id })).length;
}
