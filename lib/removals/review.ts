import { and, asc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasets, faces, organizations, requestMatches } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { getBlob } from '@/lib/blobs/blob-store';
import { requireOwnRequest } from './get-request';

export type ReviewGroup = {
  datasetId: string;
  datasetName: string;
  organizationName: string;
  shown: { matchId: string; confirmed: boolean | null }[];
  possible: number;
};

/**
 * What the person reviews, per training set: the confident matches (each only as a thumbnail of
 * the matched face, fetched separately), and how many possible matches there are (never shown).
 * Partners' labels and file names are never part of it.
 */
export async function getReview(userId: string, requestId: string): Promise<ReviewGroup[]> {
  const db = await getDb();
  await requireOwnRequest(db, userId, requestId);
  const rows = await db
    .select({
      id: requestMatches.id,
      tier: requestMatches.tier,
      confirmed: requestMatches.confirmed,
      datasetId: requestMatches.datasetId,
      datasetName: datasets.name,
      organizationName: organizations.name,
    })
    .from(requestMatches)
    .innerJoin(datasets, eq(datasets.id, requestMatches.datasetId))
    .innerJoin(organizations, eq(organizations.id, datasets.organizationId))
    .where(eq(requestMatches.requestId, requestId))
    .orderBy(asc(requestMatches.distance));
  const groups = new Map<string, ReviewGroup>();
  for (const r of rows) {
    const g = groups.get(r.datasetId) ?? { datasetId: r.datasetId, datasetName: r.datasetName, organizationName: r.organizationName, shown: [], possible: 0 };
    groups.set(r.datasetId, g);
    if (r.tier === 'shown') g.shown.push({ matchId: r.id, confirmed: r.confirmed });
    else g.possible++;
  }
  return [...groups.values()];
}

/** The face-crop thumbnail of a confident match, for its requester only. */
export async function matchThumbnail(userId: string, requestId: string, matchId: string): Promise<Buffer> {
  const db = await getDb();
  const r = await requireOwnRequest(db, userId, requestId);
  if (r.purgedAt) throw new AppError('not_found', "This request's matches are no longer shown.");
  const [m] = await db
    .select({ tier: requestMatches.tier, thumb: faces.thumbnailSha256 })
    .from(requestMatches)
    .innerJoin(faces, eq(faces.id, requestMatches.faceId))
    .where(and(eq(requestMatches.id, matchId), eq(requestMatches.requestId, requestId)));
  if (!m || m.tier !== 'shown' || !m.thumb) throw new AppError('not_found', 'No such match to show.');
  return getBlob(m.thumb);
}
