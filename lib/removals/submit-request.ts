import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { datasetItems, datasets, faces, models, removalTasks, requestMatches } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { refreshLabelTemplates } from '@/lib/matcher/label-templates';
import { calibratedModelCohort } from '@/lib/matcher/calibration';
import { AppError } from '@/lib/errors/app-error';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import { deliverRecorded, recordEvent } from '@/lib/webhooks/emit-event';
import { requireOwnRequest, requireStatus } from './get-request';
import { moveRequest } from './lifecycle';

export const submitSchema = z.strictObject({
  confirmedMatchIds: z.array(z.uuid()).max(10_000),
  includePossible: z.boolean(),
  attest: z.literal(true, { error: 'Please confirm that these are photos of you.' }),
});

/**
 * The person's answer: the confident matches they confirm, whether to include the possible ones,
 * and the attestation. In one transaction: the chosen items are marked removed (excluded from every
 * later search and training), one task per affected model is created, partners' `removal.requested`
 * events are recorded and the unlearning jobs are queued: all or nothing.
 */
export async function submitRequest(opts: { userId: string; requestId: string; input: z.input<typeof submitSchema> }) {
  const parsed = submitSchema.safeParse(opts.input);
  if (!parsed.success)
    throw new AppError('validation_failed', parsed.error.issues.map((i) => i.message).join(' '), {
      issues: parsed.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message })),
    });
  const input = parsed.data;
  const db = await getDb();
  // Imported here: the job modules load the unlearning engine, which the pages that submit do not need.
  const [{ unlearnJob }, { certifyJob }] = await Promise.all([import('./unlearn-job'), import('./certify-job')]);
  await prepareJobs(unlearnJob, certifyJob);
  const result = await db.transaction(async (tx) => {
    const r = await requireOwnRequest(tx, opts.userId, opts.requestId);
    requireStatus(r, ['review'], 'submit it');
    const matches = await tx.select().from(requestMatches).where(eq(requestMatches.requestId, r.id));
    const confirmed = new Set(input.confirmedMatchIds);
    const unknown = [...confirmed].filter((id) => !matches.some((m) => m.id === id && m.tier === 'shown'));
    if (unknown.length) throw new AppError('validation_failed', "Some confirmed matches are not among this request's matches.");
    const chosen = matches.filter((m) => (m.tier === 'shown' && confirmed.has(m.id)) || (m.tier === 'possible' && input.includePossible));
    if (!chosen.length) throw new AppError('validation_failed', 'Nothing is selected: confirm at least one photo, or include the possible matches.');
    for (const m of matches.filter((x) => x.tier === 'shown'))
      await tx
        .update(requestMatches)
        .set({ confirmed: confirmed.has(m.id) })
        .where(eq(requestMatches.id, m.id));
    const itemIds = [...new Set(chosen.map((m) => m.itemId))];
    // Items removed by an earlier request stay with it; this request removes the rest.
    const fresh = await tx
      .update(datasetItems)
      .set({ removedAt: new Date() })
      .where(and(inArray(datasetItems.id, itemIds), isNull(datasetItems.removedAt)))
      .returning({ id: datasetItems.id, datasetId: datasetItems.datasetId, label: datasetItems.label });
    if (fresh.length)
      await tx
        .update(faces)
        .set({ removed: true })
        .where(
          inArray(
            faces.itemId,
            fresh.map((f) => f.id),
          ),
        );
    const byDataset = new Map<string, string[]>();
    for (const f of fresh) byDataset.set(f.datasetId, [...(byDataset.get(f.datasetId) ?? []), f.id]);
    // The labels that lost photos are described again by the photos they keep.
    for (const datasetId of byDataset.keys()) {
      const labels = fresh.filter((f) => f.datasetId === datasetId).map((f) => f.label);
      await refreshLabelTemplates(tx, datasetId, labels, calibratedModelCohort());
    }
    // Every model of these sets, locked: a model releasing its first version holds its row while
    // it checks for removed items (train-job.ts), so it either sees these removals and leaves them
    // out, or is seen here ready, after its release, and gets a task.
    const ofSets = byDataset.size
      ? await tx
          .select({ id: models.id, datasetId: models.datasetId, organizationId: models.organizationId, status: models.status })
          .from(models)
          .where(inArray(models.datasetId, [...byDataset.keys()]))
          .for('key share')
      : [];
    const affected = ofSets.filter((m) => m.status === 'ready');
    // A model still training releases its first version without these items and then completes
    // its task (first-release-tasks.ts): the request waits for it, and its certificate names it.
    const training = ofSets.filter((m) => m.status === 'training');
    const task = (m: (typeof ofSets)[number]) => ({ requestId: r.id, modelId: m.id, organizationId: m.organizationId, itemIds: byDataset.get(m.datasetId)! });
    if (affected.length || training.length) {
      await tx
        .insert(removalTasks)
        .values([...affected.map(task), ...training.map((m) => ({ ...task(m), status: 'awaiting_release' as const }))])
        .onConflictDoNothing();
    }
    const submitted = await moveRequest(tx, r.id, 'submitted', { includePossible: input.includePossible, attestedAt: new Date(), submittedAt: new Date() });
    if (!submitted) throw new AppError('conflict', 'This request has changed since you opened it; reload the page.');
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: {
        action: 'request.submitted',
        subject: { type: 'removal_request', id: r.id },
        data: {
          confirmed: chosen.filter((m) => m.tier === 'shown').length,
          possible: chosen.filter((m) => m.tier === 'possible').length,
          items: fresh.length,
          models: affected.length,
          training: training.length,
        },
      },
    });
    const orgs = byDataset.size
      ? await tx
          .select({ id: datasets.id, organizationId: datasets.organizationId })
          .from(datasets)
          .where(inArray(datasets.id, [...byDataset.keys()]))
      : [];
    const perOrg = new Map<string, { datasetId: string; itemIds: string[] }[]>();
    for (const d of orgs) perOrg.set(d.organizationId, [...(perOrg.get(d.organizationId) ?? []), { datasetId: d.id, itemIds: byDataset.get(d.id)! }]);
    const deliveryIds: string[] = [];
    for (const [organizationId, ds] of perOrg) {
      const concerned = [...affected, ...training].filter((m) => m.organizationId === organizationId);
      const data = { requestId: r.id, datasets: ds, models: concerned.map((m) => m.id) };
      deliveryIds.push(...(await recordEvent(tx, { organizationId, type: 'removal.requested', data })).deliveryIds);
    }
    for (const m of affected) await enqueue(unlearnJob, { modelId: m.id }, { tx });
    if (!affected.length && !training.length) await enqueue(certifyJob, { requestId: r.id }, { tx });
    return { requestId: r.id, items: fresh.length, models: affected.length + training.length, deliveryIds };
  });
  await deliverRecorded(result.deliveryIds);
  return { requestId: result.requestId, items: result.items, models: result.models };
}
