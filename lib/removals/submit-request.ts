import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { datasetItems, datasets, faces, models, removalRequests, removalTasks, requestMatches } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { enqueue } from '@/lib/jobs/enqueue';
import { emitEvent } from '@/lib/webhooks/emit-event';
import { requireOwnRequest, requireStatus } from './get-request';

export const submitSchema = z.strictObject({
  confirmedMatchIds: z.array(z.uuid()).max(10_000),
  includePossible: z.boolean(),
  attest: z.literal(true, { error: 'Please confirm that these are photos of you.' }),
});

/**
 * The person's answer: the confident matches they confirm, whether to include the possible ones,
 * and the attestation. In one transaction: the chosen items are marked removed (excluded from every
 * later search and training), one task per affected model is created; then partners get
 * `removal.requested` and the unlearning jobs are queued.
 */
export async function submitRequest(opts: { userId: string; requestId: string; input: z.input<typeof submitSchema> }) {
  const parsed = submitSchema.safeParse(opts.input);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => i.message).join(' '), { issues: parsed.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message })) });
  const input = parsed.data;
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const r = await requireOwnRequest(tx, opts.userId, opts.requestId);
    requireStatus(r, ['review'], 'submit it');
    const matches = await tx.select().from(requestMatches).where(eq(requestMatches.requestId, r.id));
    const confirmed = new Set(input.confirmedMatchIds);
    const unknown = [...confirmed].filter((id) => !matches.some((m) => m.id === id && m.tier === 'shown'));
    if (unknown.length) throw new AppError('validation_failed', 'Some confirmed matches are not among this request\'s matches.');
    const chosen = matches.filter((m) => (m.tier === 'shown' && confirmed.has(m.id)) || (m.tier === 'possible' && input.includePossible));
    if (!chosen.length) throw new AppError('validation_failed', 'Nothing is selected: confirm at least one photo, or include the possible matches.');
    for (const m of matches.filter((x) => x.tier === 'shown')) await tx.update(requestMatches).set({ confirmed: confirmed.has(m.id) }).where(eq(requestMatches.id, m.id));
    const itemIds = [...new Set(chosen.map((m) => m.itemId))];
    // Items removed by an earlier request stay with it; this request removes the rest.
    const fresh = await tx.update(datasetItems).set({ removedAt: new Date() }).where(and(inArray(datasetItems.id, itemIds), isNull(datasetItems.removedAt))).returning({ id: datasetItems.id, datasetId: datasetItems.datasetId });
    if (fresh.length) await tx.update(faces).set({ removed: true }).where(inArray(faces.itemId, fresh.map((f) => f.id)));
    const byDataset = new Map<string, string[]>();
    for (const f of fresh) byDataset.set(f.datasetId, [...(byDataset.get(f.datasetId) ?? []), f.id]);
    const affected = byDataset.size ? await tx.select({ id: models.id, datasetId: models.datasetId, organizationId: models.organizationId }).from(models).where(and(inArray(models.datasetId, [...byDataset.keys()]), eq(models.status, 'ready'))) : [];
    if (affected.length) {
      await tx
        .insert(removalTasks)
        .values(affected.map((m) => ({ requestId: r.id, modelId: m.id, organizationId: m.organizationId, itemIds: byDataset.get(m.datasetId)! })))
        .onConflictDoNothing();
    }
    await tx.update(removalRequests).set({ status: 'submitted', includePossible: input.includePossible, attestedAt: new Date(), submittedAt: new Date(), lastActivityAt: sql`now()` }).where(eq(removalRequests.id, r.id));
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: { action: 'request.submitted', subject: { type: 'removal_request', id: r.id }, data: { confirmed: chosen.filter((m) => m.tier === 'shown').length, possible: chosen.filter((m) => m.tier === 'possible').length, items: fresh.length, models: affected.length } },
    });
    const orgs = byDataset.size ? await tx.select({ id: datasets.id, organizationId: datasets.organizationId }).from(datasets).where(inArray(datasets.id, [...byDataset.keys()])) : [];
    return { requestId: r.id, byDataset, affected, orgs };
  });
  const perOrg = new Map<string, { datasetId: string; itemIds: string[] }[]>();
  for (const d of result.orgs) perOrg.set(d.organizationId, [...(perOrg.get(d.organizationId) ?? []), { datasetId: d.id, itemIds: result.byDataset.get(d.id)! }]);
  for (const [organizationId, ds] of perOrg) await emitEvent({ organizationId, type: 'removal.requested', data: { requestId: result.requestId, datasets: ds, models: result.affected.filter((m) => m.organizationId === organizationId).map((m) => m.id) } });
  const { unlearnJob } = await import('./unlearn-job');
  const { certifyJob } = await import('./certify-job');
  for (const m of result.affected) await enqueue(unlearnJob, { modelId: m.id });
  if (!result.affected.length) await enqueue(certifyJob, { requestId: result.requestId });
  return { requestId: result.requestId, items: [...result.byDataset.values()].flat().length, models: result.affected.length };
}
