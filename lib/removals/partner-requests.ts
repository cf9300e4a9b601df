import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { certificates, datasetItems, removalRequests, removalTasks } from '@/db/schema';
import { decodeCursor, keyset, page, type PageQuery } from '@/lib/http/pagination';

export const partnerRequestSchema = z.object({
  id: z.uuid().describe('The removal task id (one per request and model).'),
  requestId: z.uuid(),
  modelId: z.uuid(),
  status: z
    .enum(['pending', 'unlearning', 'certified', 'failed', 'awaiting_release'])
    .describe('`awaiting_release`: the model was training when the request came; its first release leaves the items out and completes the task.'),
  items: z.array(z.object({ id: z.uuid(), externalId: z.string(), datasetId: z.uuid() })),
  requestStatus: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PartnerRequestView = z.infer<typeof partnerRequestSchema>;

/**
 * The removal requests that concern an organisation, thin: per request and model, the items to
 * remove (our ids and the partner's external ids), never the person or their photos.
 */
export async function listPartnerRequests(organizationId: string, q: PageQuery) {
  const db = await getDb();
  const k = keyset(removalTasks.createdAt, removalTasks.id, decodeCursor(q.cursor));
  const rows = await db
    .select({ t: removalTasks, requestStatus: removalRequests.status })
    .from(removalTasks)
    .innerJoin(removalRequests, eq(removalRequests.id, removalTasks.requestId))
    .where(and(eq(removalTasks.organizationId, organizationId), k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  const flat = rows.map((r) => ({ ...r.t, requestStatus: r.requestStatus }));
  const p = page(flat, q.limit, (r) => r);
  const ids = [...new Set(p.data.flatMap((r) => r.itemIds))];
  const items = ids.length
    ? await db
        .select({ id: datasetItems.id, externalId: datasetItems.externalId, datasetId: datasetItems.datasetId })
        .from(datasetItems)
        .where(inArray(datasetItems.id, ids))
    : [];
  const byId = new Map(items.map((i) => [i.id, i]));
  return {
    data: p.data.map((r): PartnerRequestView => ({
      id: r.id,
      requestId: r.requestId,
      modelId: r.modelId,
      status: r.status,
      items: r.itemIds.map((id) => byId.get(id)!).filter(Boolean),
      requestStatus: r.requestStatus,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    })),
    nextCursor: p.nextCursor,
  };
}

/** The certificates issued to an organisation for the given requests, by request id (for the partner's removal-requests page). */
export async function certificatesByRequest(organizationId: string, requestIds: string[]): Promise<Map<string, { id: string; issuedAt: Date }[]>> {
  const byRequest = new Map<string, { id: string; issuedAt: Date }[]>();
  if (!requestIds.length) return byRequest;
  const db = await getDb();
  const rows = await db
    .select({ id: certificates.id, requestId: certificates.requestId, issuedAt: certificates.issuedAt })
    .from(certificates)
    .where(and(eq(certificates.organizationId, organizationId), inArray(certificates.requestId, requestIds)));
  for (const r of rows) byRequest.set(r.requestId, [...(byRequest.get(r.requestId) ?? []), { id: r.id, issuedAt: r.issuedAt }]);
  return byRequest;
}
