import { and, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { modelVersions } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { requireVersion, versionView } from './get-models';

/** The partner acknowledges that a version runs in production (idempotent: the first time counts). */
export async function acknowledgeDeployment(opts: { organizationId: string; actor: Actor; modelId: string; version: number }) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const v = await requireVersion(tx, opts.organizationId, opts.modelId, opts.version);
    const [updated] = await tx
      .update(modelVersions)
      .set({ deployedAt: new Date() })
      .where(and(eq(modelVersions.id, v.id), isNull(modelVersions.deployedAt)))
      .returning();
    if (!updated) return versionView(v);
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'model_version.deployed', subject: { type: 'model_version', id: v.id }, data: { modelId: v.modelId, version: v.version } },
    });
    return versionView(updated);
  });
}
