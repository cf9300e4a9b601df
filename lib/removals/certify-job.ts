import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { datasetItems, datasets, models, modelVersions, organizations, removalRequests, removalTasks, requestMatches, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { buildPredicate, type ModelRelease } from '@/lib/certificates/build-predicate';
import { PREDICATE_TYPE } from '@/lib/certificates/predicate';
import { readVersionReport } from '@/lib/models/version-report';
import { signCertificate, type Subject } from '@/lib/certificates/sign-certificate';
import { softwareVersions } from '@/lib/config/versions';
import { env } from '@/lib/config/env';
import { defineJob } from '@/lib/jobs/define-job';
import { failpoint } from '@/lib/jobs/failpoint';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { removalCompletedMail } from '@/lib/mail/templates';
import { emitEvent } from '@/lib/webhooks/emit-event';
import { purgeRequestData } from './retention';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Once every task of a request is certified: one certificate per partner organisation concerned
 * (signed, logged; idempotent), `certificate.issued` to each, then the request completes, the
 * person is told by e-mail, and the reference photos and descriptors are deleted.
 */
export async function runCertify(requestId: string): Promise<void> {
  const db = await getDb();
  const [r] = await db.select().from(removalRequests).where(eq(removalRequests.id, requestId));
  if (!r || !['submitted', 'processing'].includes(r.status)) return;
  const tasks = await db.select().from(removalTasks).where(eq(removalTasks.requestId, requestId));
  if (tasks.some((t) => t.status !== 'certified')) return; // the last model's job will call again

  const chosen = await db
    .select({ itemId: requestMatches.itemId, tier: requestMatches.tier, confirmed: requestMatches.confirmed, datasetId: requestMatches.datasetId, sha: datasetItems.sha256, organizationId: datasets.organizationId, datasetName: datasets.name })
    .from(requestMatches)
    .innerJoin(datasetItems, eq(datasetItems.id, requestMatches.itemId))
    .innerJoin(datasets, eq(datasets.id, requestMatches.datasetId))
    .where(and(eq(requestMatches.requestId, requestId), r.includePossible ? sql`(${requestMatches.confirmed} or ${requestMatches.tier} = 'possible')` : eq(requestMatches.confirmed, true)));
  const orgIds = [...new Set([...chosen.map((c) => c.organizationId), ...tasks.map((t) => t.organizationId)])];
  const issued: { organizationId: string; certificateId: string }[] = [];
  for (const organizationId of orgIds) {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    const mine = chosen.filter((c) => c.organizationId === organizationId);
    const byDataset = new Map<string, typeof mine>();
    for (const c of mine) byDataset.set(c.datasetId, [...(byDataset.get(c.datasetId) ?? []), c]);
    const datasetFacts = [...byDataset.entries()].map(([id, items]) => {
      const unique = [...new Map(items.map((i) => [i.itemId, i])).values()];
      return {
        id,
        name: unique[0].datasetName,
        removedItems: unique.length,
        confirmedItems: unique.filter((i) => i.confirmed).length,
        unreviewedItems: unique.filter((i) => !i.confirmed).length,
        manifestSha256: sha256(unique.map((i) => i.sha).sort().join('\n')),
      };
    });
    const releases: ModelRelease[] = [];
    for (const t of tasks.filter((x) => x.organizationId === organizationId)) {
      const [m] = await db.select().from(models).where(eq(models.id, t.modelId));
      const vs = await db.select().from(modelVersions).where(inArray(modelVersions.id, [t.fromVersionId!, t.toVersionId!]));
      const from = vs.find((v) => v.id === t.fromVersionId)!;
      const to = vs.find((v) => v.id === t.toVersionId)!;
      const report = to.id === from.id ? null : readVersionReport(to.report);
      if (report && report.kind !== 'removal') throw new Error(`model version ${to.id} has no removal report (${report.kind}): it cannot be certified`);
      const evidence = report?.kind === 'removal' ? (report.evidence[t.id] ?? null) : null;
      const model = { id: m.id, name: m.name, kind: m.kind, params: m.params };
      releases.push({ model, before: from, after: to, report: report?.kind === 'removal' ? report : null, evidence });
    }
    const certificateId = crypto.randomUUID();
    const predicate = buildPredicate({
      certificateId,
      requestId,
      organization: { id: org.id, name: org.name },
      issuedAt: new Date(),
      datasets: datasetFacts,
      models: releases,
      software: `forgetme ${softwareVersions().forgetme}; predicate ${PREDICATE_TYPE}`,
    });
    const subject: Subject[] = [
      ...predicate.models.map((m) => ({ name: `model:${m.modelId}@${m.after.version}`, digest: { sha256: m.after.weightsSha256 } })),
      ...datasetFacts.map((d) => ({ name: `removed-items:${d.id}`, digest: { sha256: d.manifestSha256 } })),
    ];
    const cert = await signCertificate({ certificateId, requestId, organizationId, subject, predicate, submittedAt: r.submittedAt });
    issued.push({ organizationId, certificateId: cert.id });
    failpoint('certify.after-sign');
  }
  const completed = await db.transaction(async (tx) => {
    const done = await tx.update(removalRequests).set({ status: 'completed', completedAt: new Date(), lastActivityAt: sql`now()` }).where(and(eq(removalRequests.id, requestId), inArray(removalRequests.status, ['submitted', 'processing']))).returning();
    if (!done.length) return null;
    await recordAuditEvent(tx, { actor: { type: 'system' }, event: { action: 'request.completed', subject: { type: 'removal_request', id: requestId }, data: { certificates: issued.length } } });
    const [u] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, r.userId));
    return queueEmail(tx, u.email, removalCompletedMail({ name: u.name, link: `${env().publicUrl}/me/requests/${requestId}`, certificates: issued.length }));
  });
  if (!completed) return;
  await requestDelivery(completed);
  for (const i of issued) await emitEvent({ organizationId: i.organizationId, type: 'certificate.issued', data: { requestId, certificateId: i.certificateId } });
  await purgeRequestData(requestId, 'completed');
}

export const certifyJob = defineJob({
  id: 'removals.certify',
  version: 1,
  schema: z.object({ requestId: z.uuid() }),
  key: (p) => `removals.certify:${p.requestId}`,
  policy: 'stately',
  retryLimit: 5,
  retryDelaySeconds: 5,
  heartbeatSeconds: 20,
  handler: async (p) => runCertify(p.requestId),
});
