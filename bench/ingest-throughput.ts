/**
 * Partner ingestion end to end, and webhook delivery latency, on a fresh database with the real job
 * runner: a training set (lfw-train: 2,146 photos of 199 people) is accepted as one upload (files
 * stored, items created), embedded by the datasets.ingest job on one worker thread per core
 * (faces, descriptors, thumbnails), and `dataset.ingested` delivered to a local HTTP receiver.
 * Then N ping events measure the latency from the event to the receiver. Prints one JSON object.
 *
 *   node --import tsx bench/ingest-throughput.ts [--driver pglite|postgres] [--limit 2146] [--pings 50]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { setDbHandleForTests } from '@/db/client';
import { ingests } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { createDataset } from '@/lib/datasets/create-dataset';
import { stageUpload, storeFiles } from '@/lib/datasets/stage-upload';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { startJobRunner } from '@/lib/jobs/start-job-runner';
import { stopBoss } from '@/lib/jobs/boss';
import { openTestDatabase } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { startWebhookReceiver } from '@/lib/testing/webhook-receiver';
import { createEndpoint } from '@/lib/webhooks/endpoints';
import { emitEvent } from '@/lib/webhooks/emit-event';
import { corpusAvailable, FACES_DIR, listCorpus } from './face-corpus';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'pglite' },
    url: { type: 'string' },
    limit: { type: 'string', default: '2146' },
    pings: { type: 'string', default: '50' },
  },
});
if (!corpusAvailable()) {
  console.log('ingest-throughput: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
setUpTestEnvironment();
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = '1';
const handle = await openTestDatabase(values.driver === 'postgres' ? 'postgres' : 'pglite', values.url ?? 'postgres://postgres@127.0.0.1:5432/postgres');
setDbHandleForTests(handle);
const receiver = await startWebhookReceiver();
try {
  const { organization, admin } = await seedPartner();
  const actor = { type: 'user', id: admin.id } as const;
  const { secret } = await createEndpoint({
    organizationId: organization.id,
    actor,
    input: { url: receiver.url, description: 'bench', events: ['dataset.ingested', 'ping'] },
  });
  receiver.setSecret(secret);
  const dataset = await createDataset({ organizationId: organization.id, actor, input: { name: 'lfw-train', description: '' } });
  const entries = listCorpus('lfw-train').slice(0, Number(values.limit));
  const rows = entries.map((e) => ({ externalId: path.basename(e.file).replace(/\.\w+$/, ''), label: e.person, file: path.relative(FACES_DIR, e.file) }));
  const files = new Map(entries.map((e) => [path.relative(FACES_DIR, e.file), fs.readFileSync(e.file)]));
  await startJobRunner({ pollingIntervalSeconds: 0.5 });
  const t0 = performance.now();
  const ingest = await stageUpload({ organizationId: organization.id, datasetId: dataset.id, actor, rows, files: await storeFiles(files) });
  const staged = performance.now();
  let row;
  for (;;) {
    [row] = await handle.db.select().from(ingests).where(eq(ingests.id, ingest.id));
    if (row.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const embedded = performance.now();
  while (!receiver.received.some((r) => r.payload?.type === 'dataset.ingested')) await new Promise((r) => setTimeout(r, 20));
  const notified = performance.now();

  const latencies: number[] = [];
  for (let i = 0; i < Number(values.pings); i++) {
    const before = receiver.received.length;
    const s = performance.now();
    await emitEvent({ organizationId: organization.id, type: 'ping', data: { i } });
    while (receiver.received.length === before) await new Promise((r) => setTimeout(r, 2));
    latencies.push(performance.now() - s);
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  console.log(
    JSON.stringify(
      {
        driver: values.driver,
        images: rows.length,
        stageSeconds: +((staged - t0) / 1000).toFixed(2),
        embedSeconds: +((embedded - staged) / 1000).toFixed(2),
        endToEndSeconds: +((embedded - t0) / 1000).toFixed(2),
        imagesPerSecondEndToEnd: +(rows.length / ((embedded - t0) / 1000)).toFixed(2),
        embedded: row!.processed - row!.failed,
        failed: row!.failed,
        ingestedWebhookAfterCompletionMs: Math.round(notified - embedded),
        webhookLatencyMs: { events: latencies.length, p50: q(0.5), p95: q(0.95), max: Math.round(latencies.at(-1)!) },
        allSignaturesVerified: receiver.received.every((r) => r.verified),
      },
      null,
      2,
    ),
  );
} finally {
  await receiver.close();
  await stopBoss();
  await closeThreadPool();
  await handle.close();
}
