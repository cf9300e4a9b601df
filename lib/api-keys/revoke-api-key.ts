import { and, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { UUID } from '@/lib/http/path-params';
import { requireOrgRole } from '@/lib/orgs/require-org-role';

/** Revokes a key of the admin's own organisation; another organisation's key is not found. */
export async function revokeApiKey(opts: { actorUserId: string; organizationId: string; keyId: string }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await requireOrgRole(tx, { userId: opts.actorUserId, organizationId: opts.organizationId, roles: ['admin'] });
    if (!UUID.test(opts.keyId)) throw new AppError('not_found', 'No active API key with this id in your organisation.');
    const done = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, opts.keyId), eq(apiKeys.organizationId, opts.organizationId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (!done.length) throw new AppError('not_found', 'No active API key with this id in your organisation.');
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.actorUserId },
      organizationId: opts.organizationId,
      event: { action: 'api_key.revoked', subject: { type: 'api_key', id: opts.keyId }, data: {} },
    });
  });
}
