import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiKeys, users } from '@/db/schema';

/** An organisation's keys (never the secret: only its prefix), newest first, revoked ones included. */
export async function listApiKeys(organizationId: string) {
  const db = await getDb();
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      createdBy: users.name,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(desc(apiKeys.createdAt));
}
