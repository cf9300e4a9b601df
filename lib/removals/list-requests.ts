import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { models, organizations, removalRequests, removalTasks } from '@/db/schema';
import { requireOwnRequest } from './get-request';

export async function listOwnRequests(userId: string) {
  const db = await getDb();
  return db.select().from(removalRequests).where(eq(removalRequests.userId, userId)).orderBy(desc(removalRequests.createdAt));
}

/** The request and, per partner model, where its removal stands. */
export async function requestStatus(userId: string, requestId: string) {
  const db = await getDb();
  const request = await requireOwnRequest(db, userId, requestId);
  const tasks = await db
    .select({
      id: removalTasks.id,
      status: removalTasks.status,
      model: models.name,
      organization: organizations.name,
      items: removalTasks.itemIds,
      updatedAt: removalTasks.updatedAt,
    })
    .from(removalTasks)
    .innerJoin(models, eq(models.id, removalTasks.modelId))
    .innerJoin(organizations, eq(organizations.id, removalTasks.organizationId))
    .where(eq(removalTasks.requestId, requestId));
  return { request, tasks };
}
