/**
 * Time from a person's submission to their signed certificate, in-process with the real jobs'
 * code (runUnlearning, then runCertify), on a fresh database:
 *   --demo: the demo training set (120 LFW photos of 24 people, embedded for real) and its model;
 *   otherwise: a synthetic face-shaped set of --identities × --per descriptors (default 1,000 × 100 =
 *   100,000) and a certified-removal model trained on it (training time is printed separately).
 * Two identities' photos are removed, one request each: the first with the model read from its
 * blobs (nothing warm: as after a restart), the second with the first's release still warm in this
 * process; `--removals N` goes on with further identities, warm (a load beside a stream of removals,
 * bench/web-load.ts --background); `--cold N` makes the first N removals cold (each reads the
 * version the last one stored from its blobs: N samples of the cold path from one fill and training,
 * which take most of a run). Each removal and the end of training are reported on stderr
 * as they happen; one JSON object on stdout at the end.
 *
 *   node --import tsx bench/removal-journey.ts --demo
 *   node --import tsx bench/removal-journey.ts [--driver postgres] [--identities 1000 --per 100 --subsample 0.1]
 *     [--subsample-by-label] [--removals 2] [--cold 1]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq, inArray } from 'drizzle-orm';
import { openDatabase, setDbHandleForTests } from '@/db/client';
import { certificates, datasetItems, datasets, faces, models, modelVersions, removalRequests, removalTasks, requestMatches } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { createDataset } from '@/lib/datasets/create-dataset';
import { runIngest } from '@/lib/datasets/ingest-job';
import { parseManifest } from '@/lib/datasets/manifest';
import { stageUpload, storeFiles } from '@/lib/datasets/stage-upload';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { stopBoss } from '@/lib/jobs/boss';
import { lowerThreadPriority } from '@/lib/jobs/job-priority';
import { closeThreadPool, getThreadPool } from '@/lib/jobs/thread-pool';
import { createModel } from '@/lib/models/create-model';
import { publicCentre } from '@/lib/models/public-centre';
import { runTraining } from '@/lib/models/train-job';
import { clearWarm } from '@/lib/models/warm-models';
import { readVersionReport } from '@/lib/models/version-report';
import { runCertify } from '@/lib/removals/certify-job';
import { submitRequest } from '@/lib/removals/submit-request';
import { runUnlearning } from '@/lib/removals/unlearn-job';
import { createScratchDatabase } from '@/lib/testing/scratch-database';
import { openTestDatabase } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { closeClassPool } from '@/lib/unlearning/class-pool';
import { syntheticFaces } from '@/lib/unlearning/synthetic';

const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    driver: { type: 'string', default: 'pglite' },
    url: { type: 'string' },
    identities: { type: 'string', default: '1000' },
    per: { type: 'string', default: '100' },
    subsample: { type: 'string', default: '0.1' },
    'subsample-by-label': { type: 'boolean', default: false },
    removals: { type: 'string', default: '2' },
    cold: { type: 'string', default: '1' },
  },
});
setUpTestEnvironment();
// This process does what a job runner does (`npm run worker`), at its priority (lib/jobs/job-priority.ts).
lowerThreadPriority();
// PostgreSQL: a scratch database of its own, dropped at the end, or when web-load.ts stops this
// run mid-stream (SIGTERM: dropped with force, whatever the removal holds open).
const scratch = values.driver === 'postgres' ? await createScratchDatabase(values.url ?? 'postgres://postgres@127.0.0.1:5432/postgres') : null;
const handle = scratch ? await openDatabase({ driver: 'postgres', url: scratch.url }) : await openTestDatabase('pglite');
setDbHandleForTests(handle);
process.once('SIGTERM', () => {
  void Promise.race([stopBoss().then(() => handle.close()), new Promise((r) => setTimeout(r, 3000))])
    .then(() => scratch?.drop())
    .finally(() => process.exit(0));
});
const db = handle.db;
const out: Record<string, unknown> = { driver: values.driver };
const secs = (t: number) => +((performance.now() - t) / 1000).toFixed(2);
try {
  const org = await seedPartner();
  const actor = { type: 'user', id: org.admin.id } as const;
  let datasetId: string;
  let labels: string[];
  let params: { lambda: number; sigma: number; epsilon: number; delta: number; subsample: number; subsampleByLabel?: 0 | 1 } = {
    lambda: 1e-4,
    sigma: 0.01,
    epsilon: 0.1,
    delta: 1e-6,
    subsample: 1,
  };
  if (values.demo) {
    const dir = path.resolve('db/seed/demo-faces/training');
    const rows = parseManifest(fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8'));
    const ds = await createDataset({ organizationId: org.organization.id, actor, input: { name: 'demo', description: '' } });
    datasetId = ds.id;
    const t = performance.now();
    const files = await storeFiles(new Map(rows.map((r) => [r.file, fs.readFileSync(path.join(dir, r.file))])));
    const ingest = await stageUpload({ organizationId: org.organization.id, datasetId, actor, rows, files });
    await runIngest(ingest.id, { threads: getThreadPool() });
    out.ingestSeconds = secs(t);
    out.samples = rows.length;
    labels = [...new Set(rows.map((r) => r.label))];
  } else {
    const K = Number(values.identities);
    const per = Number(values.per);
    params = { ...params, subsample: Number(values.subsample), ...(values['subsample-by-label'] ? { subsampleByLabel: 1 } : {}) };
    const [ds] = await db.insert(datasets).values({ organizationId: org.organization.id, name: 'synthetic' }).returning();
    datasetId = ds.id;
    const s = syntheticFaces({ identities: K, perIdentity: per, seed: 3 });
    // Stored like real descriptors: centred on the public centre (the model centres with it), so
    // the synthetic set's own mean is taken out first.
    const centre = publicCentre();
    const t = performance.now();
    for (let i = 0; i < s.ids.length; i += 2000) {
      const ids = s.ids.slice(i, i + 2000).map(() => crypto.randomUUID());
      await db.insert(datasetItems).values(
        ids.map((id, j) => ({
          id,
          datasetId,
          externalId: s.ids[i + j],
          label: s.labels[i + j],
          sha256: crypto.randomBytes(32).toString('hex'),
          status: 'embedded' as const,
        })),
      );
      await db.insert(faces).values(
        ids.map((id, j) => ({
          itemId: id,
          datasetId,
          faceIndex: 0,
          box: [0, 0, 100, 100],
          score: 0.9,
          embedding: Array.from(s.x.subarray((i + j) * 128, (i + j + 1) * 128), (v, k) => (v - s.centre[k]) * 0.05 + centre[k]),
          embeddingModel: EMBEDDING_MODEL,
        })),
      );
    }
    out.fillSeconds = secs(t);
    out.samples = s.ids.length;
    out.identities = K;
    labels = [...new Set(s.labels)];
  }
  const model = await createModel({ organizationId: org.organization.id, actor, input: { name: 'bench', datasetId, kind: 'newton-certified', params } });
  const t = performance.now();
  await runTraining(model.id);
  out.trainSeconds = secs(t);
  console.error(JSON.stringify({ trained: true, trainSeconds: out.trainSeconds }));
  await stopBoss();

  // Two requests, one identity each: the first with nothing warm (as after a restart, or when another
  // worker released the current version: the model is read from its blobs), the second right after
  // it (its release is still warm in this process).
  const removals = Math.min(Number(values.removals), labels.length);
  const colds = Number(values.cold);
  if (!(removals >= 2)) throw new Error(`--removals must be at least 2 and at most the ${labels.length} identities`);
  if (!(Number.isInteger(colds) && colds >= 1 && colds < removals)) throw new Error(`--cold must be a whole number from 1 to ${removals - 1} (--removals − 1)`);
  const done = [];
  for (let i = 0; i < removals; i++) done.push(await removeIdentity(labels[i], i + 2, i < colds));
  out.cold = done[0];
  out.warm = done[colds];
  if (colds > 1) out.furtherColdSeconds = done.slice(1, colds).map((r) => r.submissionToCertificateSeconds);
  if (removals > colds + 1) out.furtherWarmSeconds = done.slice(colds + 1).map((r) => r.submissionToCertificateSeconds);

  async function removeIdentity(label: string, expectVersion: number, cold: boolean) {
    const r: Record<string, unknown> & { submissionToCertificateSeconds?: number } = { label, modelFrom: cold ? 'blobs' : 'warm' };
    if (cold) clearWarm();
    const person = await seedIndividual();
    const [req] = await db
      .insert(removalRequests)
      .values({ userId: person.id, status: 'review', consentVersion: 'bench', consentedAt: new Date() })
      .returning();
    const items = await db.select({ id: datasetItems.id }).from(datasetItems).where(eq(datasetItems.label, label));
    const fs_ = await db
      .select({ id: faces.id, itemId: faces.itemId })
      .from(faces)
      .where(
        inArray(
          faces.itemId,
          items.map((i) => i.id),
        ),
      );
    const matches = await db
      .insert(requestMatches)
      .values(fs_.map((f) => ({ requestId: req.id, faceId: f.id, itemId: f.itemId, datasetId, distance: 0.2, tier: 'shown' as const })))
      .returning();

    const t = performance.now();
    const input = { confirmedMatchIds: matches.map((m) => m.id), includePossible: false, attest: true as const };
    await submitRequest({ userId: person.id, requestId: req.id, input });
    r.submitSeconds = secs(t);
    const tu = performance.now();
    await runUnlearning(model.id);
    r.unlearnJobSeconds = secs(tu);
    const tc = performance.now();
    await runCertify(req.id);
    r.certifyJobSeconds = secs(tc);
    r.submissionToCertificateSeconds = secs(t);
    const [v] = await db.select().from(modelVersions).where(eq(modelVersions.version, expectVersion));
    if (!v)
      throw new Error(
        `no version ${expectVersion}: ${JSON.stringify(r)} ` +
          `${JSON.stringify(await db.select({ s: removalTasks.status, e: removalTasks.error }).from(removalTasks))} ` +
          `${JSON.stringify(await db.select({ s: models.status, e: models.error }).from(models))}`,
      );
    const rep = readVersionReport(v.report);
    if (rep.kind !== 'removal') throw new Error(`version ${expectVersion} is not a removal (${rep.kind})`);
    const evidence = Object.values(rep.evidence);
    const { method, noise, removedSamples, residual, budget, retrained, seconds, wallSeconds, accuracyBefore, accuracyAfter, identityTest } = rep;
    r.removal = { method, noise, removedSamples, residual, budget, retrained, seconds, wallSeconds, accuracyBefore, accuracyAfter, identityTest };
    r.stageSeconds = rep.stageSeconds;
    const removalSeconds = seconds.total ?? wallSeconds;
    r.evidence = evidence.map(
      (e) =>
        e && {
          verdict: e.released.verdict,
          pValue: e.released.pValue,
          empiricalEpsilon: e.empiricalEpsilon.max,
          seconds: e.seconds,
          shareOfRemoval: e.seconds / removalSeconds,
        },
    );
    r.certificates = (await db.select().from(certificates).where(eq(certificates.requestId, req.id))).length;
    console.error(JSON.stringify(r));
    return r;
  }
  out.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(out, null, 2));
} finally {
  await stopBoss();
  await closeThreadPool();
  await closeClassPool();
  await handle.close();
  await scratch?.drop();
}
