import crypto from 'node:crypto';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { hashToken } from '@/lib/auth/tokens';
import { fromZodError } from '@/lib/errors/from-zod';
import { requireOrgRole } from '@/lib/orgs/require-org-role';
import { apiScopeSchema } from './scopes';

const createSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  scopes: z.array(apiScopeSchema).min(1, 'must name at least one scope').max(20),
});

/**
 * Creates an API key `fm_<prefix>_<secret>` for an organisation (admins only). The key is returned
 * once; only its SHA-256 is stored.
 */
/** `input` is checked here (a form's strings or the API's body), so it is taken as it comes. */
export async function createApiKey(opts: { actorUserId: string; organizationId: string; input: unknown }) {
  const parsed = createSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const prefix = crypto.randomBytes(4).toString('hex');
  const key = `fm_${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
  const db = await getDb();
  return db.transaction(async (tx) => {
    await requireOrgRole(tx, { userId: opts.actorUserId, organizationId: opts.organizationId, roles: ['admin'] });
    const scopes = [...new Set(parsed.data.scopes)];
    const [row] = await tx
      .insert(apiKeys)
      .values({ organizationId: opts.organizationId, name: parsed.data.name, prefix, keyHash: hashToken(key), scopes, createdBy: opts.actorUserId })
      .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.actorUserId },
      organizationId: opts.organizationId,
      event: { action: 'api_key.created', subject: { type: 'api_key', id: row.id }, data: { name: parsed.data.name, scopes } },
    });
    return { id: row.id, key, prefix, name: parsed.data.name, scopes, createdAt: row.createdAt };
  });
}
