import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import {
  certificates,
  datasetItems,
  datasets,
  models,
  modelVersions,
  organizations,
  removalRequests,
  removalTasks,
  requestMatches,
  type Model,
  type RemovalTask,
  type SearchScope,
} from '@/db/schema';
import { buildPredicate, type FirstReleaseFacts, type ModelRelease } from '@/lib/certificates/build-predicate';
import { featuresOf } from '@/lib/embeddings/features-facts';
import { PREDICATE_TYPE, type PredicateV2 } from '@/lib/certificates/predicate';
import { readVersionReport } from '@/lib/models/version-report';
import { signCertificate, type Subject } from '@/lib/certificates/sign-certificate';
import { softwareVersions } from '@/lib/config/versions';
import { defineJob } from '@/lib/jobs/define-job';
import { failpoint } from '@/lib/jobs/failpoint';
import { failRequest } from './fail-request';
import { OPEN_TASKS } from './lifecycle';
import { finishSettlement, settleRequest } from './settle-request';

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
  // The last model's job (or a first release) will call again.
  if (tasks.some((t) => OPEN_TASKS.some((s) => s === t.status))) return;
  // A partner with a failed model gets no certificate for this request: only what was done is certified.
  const failedModels = new Map<string, string[]>();
  for (const t of tasks.filter((x) => x.status === 'failed')) failedModels.set(t.organizationId, [...(failedModels.get(t.organizationId) ?? []), t.modelId]);

  const chosen = await db
    .select({
      itemId: requestMatches.itemId,
      tier: requestMatches.tier,
      confirmed: requestMatches.confirmed,
      datasetId: requestMatches.datasetId,
      sha: datasetItems.sha256,
      organizationId: datasets.organizationId,
      datasetName: datasets.name,
    })
    .from(requestMatches)
    .innerJoin(datasetItems, eq(datasetItems.id, requestMatches.itemId))
    .innerJoin(datasets, eq(datasets.id, requestMatches.datasetId))
    .where(
      and(
        eq(requestMatches.requestId, requestId),
        r.includePossible ? sql`(${requestMatches.confirmed} or ${requestMatches.tier} = 'possible')` : eq(requestMatches.confirmed, true),
      ),
    );
  const orgIds = [...new Set([...chosen.map((c) => c.organizationId), ...tasks.map((t) => t.organizationId)])].filter((o) => !failedModels.has(o));
  const before = new Set((await db.select({ id: certificates.id }).from(certificates).where(eq(certificates.requestId, requestId))).map((c) => c.id));
  const issued: { organizationId: string; certificateId: string; fresh: boolean }[] = [];
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
        manifestSha256: sha256(
          unique
            .map((i) => i.sha)
            .sort()
            .join('\n'),
        ),
      };
    });
    const releases: ModelRelease[] = [];
    const firstReleases: FirstReleaseFacts[] = [];
    for (const t of tasks.filter((x) => x.organizationId === organizationId && x.status === 'certified')) {
      const [m] = await db.select().from(models).where(eq(models.id, t.modelId));
      if (!t.fromVersionId) {
        firstReleases.push(await firstReleaseOf(m, t));
        continue;
      }
      const vs = await db
        .select()
        .from(modelVersions)
        .where(inArray(modelVersions.id, [t.fromVersionId!, t.toVersionId!]));
      const from = vs.find((v) => v.id === t.fromVersionId)!;
      const to = vs.find((v) => v.id === t.toVersionId)!;
      const report = to.id === from.id ? null : readVersionReport(to.report);
      if (report && report.kind !== 'removal') throw new Error(`model version ${to.id} has no removal report (${report.kind}): it cannot be certified`);
      const evidence = report?.kind === 'removal' ? (report.evidence[t.id] ?? null) : null;
      const model = { id: m.id, name: m.name, kind: m.kind, params: m.params };
      const features = await featuresOf(m);
      releases.push({ model, features, before: from, after: to, report: report?.kind === 'removal' ? report : null, evidence });
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
      search: searchEvidence(r.searchScope),
      firstReleases,
    });
    const subject: Subject[] = [
      ...predicate.models.map((m) => ({ name: `model:${m.modelId}@${m.after.version}`, digest: { sha256: m.after.weightsSha256 } })),
      ...(predicate.firstReleases ?? []).map((f) => ({ name: `model:${f.modelId}@${f.version}`, digest: { sha256: f.weightsSha256 } })),
      ...datasetFacts.map((d) => ({ name: `removed-items:${d.id}`, digest: { sha256: d.manifestSha256 } })),
    ];
    const cert = await signCertificate({ certificateId, requestId, organizationId, subject, predicate, submittedAt: r.submittedAt });
    issued.push({ organizationId, certificateId: cert.id, fresh: !before.has(cert.id) });
    failpoint('certify.after-sign');
  }
  const first = tasks.find((t) => t.status === 'failed');
  const failure = first
    ? { stage: 'unlearning' as const, code: first.error?.code ?? 'failed', message: first.error?.message ?? 'The removal from this model failed.' }
    : null;
  const status = !failedModels.size ? 'completed' : issued.length ? 'partially_failed' : 'failed';
  const settled = await db.transaction((tx) => settleRequest(tx, requestId, { status, failure, issued, failedModels }));
  await finishSettlement(settled);
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
  onExhausted: async (p, error) => failRequest(p.requestId, { stage: 'certification', ...error }),
});

/** A task completed by its model's first release (first-release-tasks.ts): the version, and how many of the task's photos its training read. */
async function firstReleaseOf(m: Model, t: RemovalTask): Promise<FirstReleaseFacts> {
  const db = await getDb();
  const [v] = await db.select().from(modelVersions).where(eq(modelVersions.id, t.toVersionId!));
  const report = readVersionReport(v.report);
  if (report.kind !== 'trained') throw new Error(`model version ${v.id} is not a first release (${report.kind}): it cannot complete task ${t.id}`);
  const photosTrainedOn = report.tasksAtRelease?.[t.id];
  if (photosTrainedOn === undefined) throw new Error(`model version ${v.id} does not record task ${t.id}`);
  const model = { id: m.id, name: m.name, kind: m.kind, params: m.params };
  return { model, features: await featuresOf(m), version: v, report, photosTrainedOn };
}

/** The search's scope and thresholds as the certificate states them (none for searches recorded before thresholds were). */
function searchEvidence(scope: SearchScope | null): PredicateV2['search'] {
  if (!scope?.thresholds) return undefined;
  const { calibrated, photo, label, expectedStrangers, strangersCounted, largeLabel, extrapolated } = scope.thresholds;
  return {
    facesSearched: scope.faces,
    labelsSearched: scope.labels ?? 0,
    datasetsSearched: scope.datasets.length,
    referenceGroups: scope.references?.groups,
    thresholds: { photo, label },
    expectedStrangers,
    strangersCounted,
    largeLabel,
    extrapolated,
    calibrated,
  };
}
