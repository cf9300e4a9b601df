import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Executor } from '@/db/client';
import { deploymentKeys, type DeploymentKey } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { UUID } from '@/lib/http/path-params';
import { requireStorableText } from '@/lib/http/text-checks';
import { requireOrgRole } from '@/lib/orgs/require-org-role';
import { readPublicKey } from './public-key';

export const registerDeploymentKeySchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  publicKey: z.string().min(1, 'must not be empty').max(4096).describe('Ed25519 public key: PEM ("-----BEGIN PUBLIC KEY-----") or a JWK, as a string'),
});

export const deploymentKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kid: z.string().describe('RFC 7638 thumbprint of the public key: the DSSE keyid of the acknowledgements it signs'),
  publicJwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});
export type DeploymentKeyView = z.infer<typeof deploymentKeySchema>;

export function deploymentKeyView(k: DeploymentKey): DeploymentKeyView {
  return {
    id: k.id,
    name: k.name,
    kid: k.kid,
    publicJwk: k.publicJwk,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** People must be administrators (API keys need the `deployment-keys:write` scope, checked by the route). */
async function requireKeyAdmin(tx: Executor, opts: { organizationId: string; actor: Actor }) {
  if (opts.actor.type === 'user') await requireOrgRole(tx, { userId: opts.actor.id, organizationId: opts.organizationId, roles: ['admin'] });
}

/** Registers a partner's Ed25519 public key for signing deployment acknowledgements. The same key twice is a conflict. */
export async function registerDeploymentKey(opts: { organizationId: string; actor: Actor; input: unknown }): Promise<DeploymentKeyView> {
  const parsed = registerDeploymentKeySchema.safeParse(opts.input);
  if (!parsed.success) throw fromZodError(parsed.error);
  // The console's form reaches here without the API's JSON checks: a NUL or a control character is a 422, not a database error.
  requireStorableText(parsed.data.name, 'name', { singleLine: true });
  const { publicJwk, kid } = await readPublicKey(parsed.data.publicKey);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await requireKeyAdmin(tx, opts);
    const [row] = await tx
      .insert(deploymentKeys)
      .values({ organizationId: opts.organizationId, name: parsed.data.name, kid, publicJwk })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', `This public key (key id ${kid}) is already registered by your organisation.`);
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'deployment_key.registered', subject: { type: 'deployment_key', id: row.id }, data: { name: row.name, kid } },
    });
    return deploymentKeyView(row);
  });
}

/** An organisation's deployment keys, newest first, revoked ones included. */
export async function listDeploymentKeys(organizationId: string): Promise<DeploymentKeyView[]> {
  const db = await getDb();
  const rows = await db.select().from(deploymentKeys).where(eq(deploymentKeys.organizationId, organizationId)).orderBy(desc(deploymentKeys.createdAt));
  return rows.map(deploymentKeyView);
}

/** Revokes a key: it signs no new acknowledgement; those it signed before stay valid. */
export async function revokeDeploymentKey(opts: { organizationId: string; actor: Actor; keyId: string }): Promise<DeploymentKeyView> {
  const missing = new AppError('not_found', 'No active deployment key with this id in your organisation.');
  if (!UUID.test(opts.keyId)) throw missing;
  const db = await getDb();
  return db.transaction(async (tx) => {
    await requireKeyAdmin(tx, opts);
    const [row] = await tx
      .update(deploymentKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(deploymentKeys.id, opts.keyId), eq(deploymentKeys.organizationId, opts.organizationId), isNull(deploymentKeys.revokedAt)))
      .returning();
    if (!row) throw missing;
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'deployment_key.revoked', subject: { type: 'deployment_key', id: row.id }, data: { kid: row.kid } },
    });
    return deploymentKeyView(row);
  });
}
