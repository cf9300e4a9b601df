import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { hashToken } from '@/lib/auth/tokens';
import { AppError } from '@/lib/errors/app-error';
import type { ApiScope } from './scopes';

export type ApiKeyPrincipal = { keyId: string; organizationId: string; scopes: ApiScope[] };

const KEY_FORMAT = /^fm_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/;

/** Resolves a bearer key to its organisation and scopes; records its last use (at most once a minute). */
export async function authenticateApiKey(key: string): Promise<ApiKeyPrincipal> {
  const invalid = new AppError('unauthenticated', 'The API key is not valid.');
  if (!KEY_FORMAT.test(key)) throw invalid;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashToken(key)));
  if (!row) throw invalid;
  if (row.revokedAt) throw new AppError('unauthenticated', 'This API key was revoked.');
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  }
  return { keyId: row.id, organizationId: row.organizationId, scopes: row.scopes as ApiScope[] };
}
