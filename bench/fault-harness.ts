/**
 * The fault harness (issue 14): the whole removal workflow on a fresh PostgreSQL database with real
 * `npm run worker` processes, each killed with SIGKILL at one stage (FORGETME_FAILPOINT), then a clean
 * worker finishing; PostgreSQL restarted while a removal runs; the blob volume full while an upload
 * is written; a webhook receiver down for a simulated three days. Each row checks the end state:
 * nothing lost, nothing duplicated, no stranded request, no biometric data past its time.
 * Loopback only; needs root for the tmpfs and `pg_ctlcluster` for the restart (rows say when skipped).
 *
 *   node --import tsx bench/fault-harness.ts
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '@/lib/testing/scratch-database';
import { killThenFinish, until, worker, type Row } from './fault-workers';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = await createScratchDatabase(ADMIN_URL, 'forgetme_faults');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-faults-'));
Object.assign(process.env, { DATABASE_URL: scratch.url, FORGETME_DATA_DIR: dataDir, FORGETME_LOG_LEVEL: 'error', WEBHOOK_ALLOW_PRIVATE_TARGETS: '1' });

// Imported once the environment above is set: the configuration is read on first use.
const { and, count, eq } = await import('drizzle-orm');
const { getDb, closeDb } = await import('@/db/client');
const schema = await import('@/db/schema');
const { seedIndividual, seedPartner } = await import('@/db/seed/factories');
const { stopBoss } = await import('@/lib/jobs/boss');
const { closeThreadPool } = await import('@/lib/jobs/thread-pool');
const { createDataset } = await import('@/lib/datasets/create-dataset');
const { parseManifest } = await import('@/lib/datasets/manifest');
const { stageUpload, storeFiles } = await import('@/lib/datasets/stage-upload');
const { receiveUpload } = await import('@/lib/datasets/receive-upload');
const { createModel } = await import('@/lib/models/create-model');
const { createEndpoint } = await import('@/lib/webhooks/endpoints');
const { deliverDue } = await import('@/lib/webhooks/deliver');
const { approveIdentityByOperator } = await import('@/lib/testing/removal-fixtures');
const { emitEvent } = await import('@/lib/webhooks/emit-event');
const { replayDelivery } = await import('@/lib/webhooks/deliveries');
const { startRequest } = await import('@/lib/removals/start-request');
const { addReference } = await import('@/lib/removals/references');
const { startMatching } = await import('@/lib/removals/matching');
const { getReview } = await import('@/lib/removals/review');
const { submitRequest } = await import('@/lib/removals/submit-request');
const { sweepRequests } = await import('@/lib/removals/sweep-requests');
const { CONSENT_VERSION } = await import('@/lib/removals/consent');
const { startWebhookReceiver } = await import('@/lib/testing/webhook-receiver');

const { blobStoreRow } = await import('./fault-blob-census');

const rows: Row[] = [];
const db = await getDb();
const DEMO = path.resolve('db/seed/demo-faces');

const n = async (q: Promise<{ n: number }[]>) => (await q)[0].n;
const status = async (id: string) => (await db.select().from(schema.removalRequests).where(eq(schema.removalRequests.id, id)))[0];
const certificatesOf = async (id: string) => n(db.select({ n: count() }).from(schema.certificates).where(eq(schema.certificates.requestId, id)));
type Opened = { userId: string; id: string };

/** A new person's request with two demo reference photos of `who`, its search queued. */
async function openRequest(who: string): Promise<Opened> {
  const person = await seedIndividual();
  const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  const dir = path.join(DEMO, 'references');
  const photos = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(who))
    .sort()
    .slice(0, 2);
  for (const f of photos) await addReference({ userId: person.id, requestId: req.id, bytes: fs.readFileSync(path.join(dir, f)) });
  await approveIdentityByOperator(person.id, req.id);
  await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.1' });
  await stopBoss();
  return { userId: person.id, id: req.id };
}

/** The person confirms every shown match and submits; the unlearning jobs are queued. */
async function submitShown(r: Opened): Promise<void> {
  const shown = (await getReview(r.userId, r.id)).flatMap((g) => g.shown.map((m) => m.matchId));
  await submitRequest({ userId: r.userId, requestId: r.id, input: { confirmedMatchIds: shown, includePossible: false, attest: true } });
  await stopBoss();
}

/** openRequest, searched by a clean worker, then submitted. */
async function submittedRequest(who: string): Promise<Opened> {
  const r = await openRequest(who);
  const w = worker();
  await until(`${who}'s search`, async () => (await status(r.id)).status === 'review');
  await w.stop();
  await submitShown(r);
  return r;
}
const receiver = await startWebhookReceiver();

try {
  // The partner, its webhook endpoint, its training set.
  const org = await seedPartner();
  const actor = { type: 'user', id: org.admin.id } as const;
  const { secret, endpoint: listening } = await createEndpoint({
    organizationId: org.organization.id,
    actor,
    input: {
      url: receiver.url,
      description: 'fault harness',
      events: ['dataset.ingested', 'model.trained', 'removal.requested', 'model.version_created', 'certificate.issued'],
    },
  });
  receiver.setSecret(secret);
  const ds = await createDataset({ organizationId: org.organization.id, actor, input: { name: 'faults', description: '' } });
  const manifest = parseManifest(fs.readFileSync(path.join(DEMO, 'training', 'manifest.csv'), 'utf8'));
  const files = await storeFiles(new Map(manifest.map((r) => [r.file, fs.readFileSync(path.join(DEMO, 'training', r.file))])));

  // 1. The blob volume full while an upload is written: a 2 MB tmpfs over the blob store.
  {
    const t = performance.now();
    const blobs = path.join(dataDir, 'blobs');
    const full = path.join(dataDir, 'blobs-full');
    let endState = 'skipped: no tmpfs (needs root)';
    let ok = false;
    try {
      fs.mkdirSync(full, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', full]);
      fs.renameSync(blobs, `${blobs}-real`);
      fs.symlinkSync(full, blobs);
      const itemsBefore = await n(db.select({ n: count() }).from(schema.datasetItems));
      const form = new FormData();
      form.append(
        'manifest',
        new Blob(['external_id,label,file\n' + Array.from({ length: 12 }, (_, i) => `full-${i},X,f${i}.jpg`).join('\n')]),
        'manifest.csv',
      );
      for (let i = 0; i < 12; i++) form.append('files', new Blob([new Uint8Array(crypto.randomBytes(300_000))]), `f${i}.jpg`);
      const request = new Request('http://localhost/upload', { method: 'POST', body: form });
      const answer = await receiveUpload(request, { organizationId: org.organization.id, datasetId: ds.id, actor, maxBytes: 512 * 2 ** 20 }).then(
        () => 'accepted',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
      const left = (fs.readdirSync(full, { recursive: true }) as string[]).filter((f) => /[0-9a-f]{64}$/.test(f)).length;
      const itemsAfter = await n(db.select({ n: count() }).from(schema.datasetItems));
      ok = answer.startsWith('unavailable') && left === 0 && itemsAfter === itemsBefore;
      endState = `${answer.slice(0, 60)}; blobs left ${left}; items added ${itemsAfter - itemsBefore}`;
    } catch (err) {
      endState = `skipped: ${(err as Error).message.split('\n')[0]}`;
    } finally {
      if (fs.existsSync(`${blobs}-real`)) {
        fs.rmSync(blobs, { force: true });
        fs.renameSync(`${blobs}-real`, blobs);
      }
      try {
        execFileSync('umount', [full]);
      } catch {
        /* not mounted */
      }
    }
    rows.push({ fault: 'blob volume full', stage: 'partner upload', killed: '-', endState, ok, seconds: Math.round((performance.now() - t) / 1000) });
  }

  // 2. Ingest: killed after its first batch of embeddings.
  const ingest = await stageUpload({ organizationId: org.organization.id, datasetId: ds.id, actor, rows: manifest, files });
  await stopBoss();
  rows.push(
    await killThenFinish(
      'ingest',
      'ingest.after-batch',
      async () => (await db.select().from(schema.ingests).where(eq(schema.ingests.id, ingest.id)))[0].status === 'completed',
      async () => {
        const items = await db.select().from(schema.datasetItems).where(eq(schema.datasetItems.ingestId, ingest.id));
        const pending = items.filter((i) => i.status === 'pending').length;
        const facesPerItem = await db.select({ n: count() }).from(schema.faces).where(eq(schema.faces.datasetId, ds.id));
        const events = await n(
          db
            .select({ n: count() })
            .from(schema.webhookEvents)
            .where(and(eq(schema.webhookEvents.organizationId, org.organization.id), eq(schema.webhookEvents.type, 'dataset.ingested'))),
        );
        if (pending) return `${pending} items still pending`;
        if (events !== 1) return `${events} dataset.ingested events`;
        return facesPerItem[0].n >= items.filter((i) => i.status === 'embedded').length ? null : 'faces missing';
      },
    ),
  );

  // 3. Training: killed before the first version is released.
  const model = await createModel({
    organizationId: org.organization.id,
    actor,
    input: { name: 'faults', datasetId: ds.id, kind: 'newton-certified', params: { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1 } },
  });
  await stopBoss();
  rows.push(
    await killThenFinish(
      'training',
      'train.before-release',
      async () => (await db.select().from(schema.models).where(eq(schema.models.id, model.id)))[0].status === 'ready',
      async () => {
        const versions = await n(db.select({ n: count() }).from(schema.modelVersions).where(eq(schema.modelVersions.modelId, model.id)));
        return versions === 1 ? null : `${versions} versions`;
      },
    ),
  );

  // 4. Matching: killed before the matches are written.
  const req = await openRequest('Abdullah_Gul');
  rows.push(
    await killThenFinish(
      'matching',
      'match.before-commit',
      async () => (await status(req.id)).status === 'review',
      async () => {
        const matches = await db.select().from(schema.requestMatches).where(eq(schema.requestMatches.requestId, req.id));
        return matches.length && new Set(matches.map((m) => m.faceId)).size === matches.length ? null : `${matches.length} matches`;
      },
    ),
  );

  // 5-9. The removal: killed before and after the release, after signing, before the purge; webhook delivery killed after sending.
  await submitShown(req);
  const versions = async () => n(db.select({ n: count() }).from(schema.modelVersions).where(eq(schema.modelVersions.modelId, model.id)));
  rows.push(
    await killThenFinish(
      'unlearning, before the release',
      'unlearn.before-release',
      async () => (await status(req.id)).status === 'completed',
      async () =>
        (await versions()) === 2 && (await certificatesOf(req.id)) === 1 ? null : `versions ${await versions()}, certificates ${await certificatesOf(req.id)}`,
    ),
  );

  const reqB = await submittedRequest('Adrien_Brody');
  rows.push(
    await killThenFinish(
      'unlearning, after the release',
      'unlearn.after-release',
      async () => (await status(reqB.id)).status === 'completed',
      async () => {
        const v = await versions();
        return v === 3 && (await certificatesOf(reqB.id)) === 1 ? null : `versions ${v}, certificates ${await certificatesOf(reqB.id)}`;
      },
    ),
  );

  // 10. Certification and settlement on a third request: killed after signing, then before the purge.
  const reqC = await submittedRequest('Al_Sharpton');
  rows.push(
    await killThenFinish(
      'certification, after signing',
      'certify.after-sign',
      async () => (await status(reqC.id)).status === 'completed',
      async () => ((await certificatesOf(reqC.id)) === 1 ? null : `${await certificatesOf(reqC.id)} certificates`),
    ),
  );

  const reqD = await submittedRequest('Albert_Costa');
  {
    const t = performance.now();
    const doomed = worker('settle.before-purge');
    const signal = await doomed.exited;
    const settled = await status(reqD.id);
    const refsLeft = async () => n(db.select({ n: count() }).from(schema.requestReferences).where(eq(schema.requestReferences.requestId, reqD.id)));
    const before = await refsLeft();
    const swept = await sweepRequests();
    const after = await refsLeft();
    const ok = signal === 'SIGKILL' && settled.status === 'completed' && before > 0 && after === 0 && !!(await status(reqD.id)).purgedAt;
    rows.push({
      fault: 'SIGKILL',
      stage: 'settled, before the purge',
      killed: String(signal),
      endState: `completed with ${before} photos kept; the sweep purged ${swept.purged}: ${after} left`,
      ok,
      seconds: Math.round((performance.now() - t) / 1000),
    });
  }

  // 11. Webhook delivery: killed after the receiver answered, before the answer was recorded.
  {
    const t = performance.now();
    const { deliveryIds } = await emitEvent({ organizationId: org.organization.id, type: 'ping', data: { n: 1 }, endpointId: listening.id, now: new Date() });
    await stopBoss();
    const doomed = worker('webhook.after-send');
    const { enqueue } = await import('@/lib/jobs/enqueue');
    const { deliverWebhookJob } = await import('@/lib/webhooks/jobs');
    await enqueue(deliverWebhookJob, { deliveryId: deliveryIds[0] });
    await stopBoss();
    const signal = await doomed.exited;
    const clean = worker();
    const delivery = async () => (await db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.id, deliveryIds[0])))[0];
    await until('the ping delivered', async () => (await delivery()).status === 'succeeded', 240);
    await clean.stop();
    const [ev] = await db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.id, deliveryIds[0]));
    const got = receiver.received.filter((r) => r.payload?.type === 'ping');
    const sameId = new Set(got.map((r) => r.id)).size === 1;
    rows.push({
      fault: 'SIGKILL',
      stage: 'webhook delivery, after sending',
      killed: String(signal),
      endState: `${ev.status}; received ${got.length} time(s), ${sameId ? 'one webhook-id' : 'different ids'}`,
      ok: signal === 'SIGKILL' && ev.status === 'succeeded' && got.length >= 1 && sameId,
      seconds: Math.round((performance.now() - t) / 1000),
    });
  }

  // 12. PostgreSQL restarted while a removal runs.
  {
    const t = performance.now();
    let endState = '';
    let ok = false;
    const reqE = await openRequest('Amelia_Vega');
    let w = worker();
    await until('request E reviewed', async () => (await status(reqE.id)).status === 'review');
    await submitShown(reqE);
    try {
      // Restarted while the worker unlearns; this process's pool reconnects on its own.
      await until('request E processing', async () => (await status(reqE.id)).status === 'processing', 60).catch(() => undefined);
      execFileSync('pg_ctlcluster', ['15', 'main', 'restart'], { stdio: 'ignore' });
      let restarted = 0;
      await until(
        'request E completed after the restart',
        async () => {
          if (w.child.exitCode !== null || w.child.signalCode) {
            restarted++;
            w = worker(); // a process manager restarts a dead worker
          }
          return (await status(reqE.id).catch(() => ({ status: 'unknown' }))).status === 'completed';
        },
        240,
      );
      const c = await certificatesOf(reqE.id);
      ok = c === 1;
      endState = `completed; ${c} certificate; the worker ${restarted ? `exited and was restarted ${restarted} time(s)` : 'survived the restart'}`;
    } catch (err) {
      endState = (err as Error).message.split('\n')[0];
    } finally {
      await w.stop();
    }
    rows.push({ fault: 'PostgreSQL restarted', stage: 'during the removal', killed: '-', endState, ok, seconds: Math.round((performance.now() - t) / 1000) });
  }

  // 13. A webhook receiver down for three simulated days, then back.
  {
    const t = performance.now();
    const t0 = new Date();
    const down = await createEndpoint({
      organizationId: org.organization.id,
      actor,
      input: { url: 'http://127.0.0.1:9/down', description: 'down for three days', events: ['ping'] },
    });
    const { deliveryIds } = await emitEvent({ organizationId: org.organization.id, type: 'ping', data: { n: 2 }, endpointId: down.endpoint.id, now: t0 });
    for (let h = 0; h <= 72; h += 0.25) await deliverDue(new Date(t0.getTime() + h * 3600_000));
    const [d] = await db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.id, deliveryIds[0]));
    const [ep] = await db.select().from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.id, down.endpoint.id));
    // Back up: the partner points the endpoint at its receiver and replays what it missed.
    const { updateEndpoint } = await import('@/lib/webhooks/endpoints');
    await updateEndpoint({ organizationId: org.organization.id, actor, id: down.endpoint.id, input: { url: receiver.url } });
    const replayed = await replayDelivery({ organizationId: org.organization.id, actor, deliveryId: deliveryIds[0] });
    const ok = d.status === 'failed' && d.attempts === 8 && !ep.disabledAt && replayed.status === 'succeeded';
    rows.push({
      fault: 'receiver down 3 days',
      stage: 'webhook delivery',
      killed: '-',
      endState: `${d.attempts} attempts then ${d.status}; endpoint ${ep.disabledAt ? 'disabled' : 'enabled'}; replay ${replayed.status}`,
      ok,
      seconds: Math.round((performance.now() - t) / 1000),
    });
  }

  // The whole run: nothing stranded, nothing kept.
  const open = await db.select().from(schema.removalRequests);
  const stranded = open.filter((r) => !['completed', 'withdrawn', 'failed', 'partially_failed'].includes(r.status));
  const refsKept = await n(db.select({ n: count() }).from(schema.requestReferences));
  const orphanPhotos = open.length - open.filter((r) => r.purgedAt).length;
  rows.push({
    fault: '(all)',
    stage: 'end of run',
    killed: '-',
    endState: `${open.length} requests: ${stranded.length} not settled, ${refsKept} reference photos kept, ${orphanPhotos} unpurged`,
    ok: !stranded.length && !refsKept && !orphanPhotos,
    seconds: 0,
  });

  // The blob store a day on: what the kills above left between a release's files and its transaction swept.
  rows.push(await blobStoreRow(db, path.join(dataDir, 'blobs')));
} finally {
  console.table(rows);
  console.log(JSON.stringify({ ok: rows.every((r) => r.ok), rows }));
  await receiver.close();
  await stopBoss();
  await closeThreadPool();
  await closeDb();
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
