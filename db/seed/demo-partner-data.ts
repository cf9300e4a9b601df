import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasets, ingests, models } from '@/db/schema';
import { env } from '@/lib/config/env';
import { createDataset } from '@/lib/datasets/create-dataset';
import { parseManifest } from '@/lib/datasets/manifest';
import { stageUpload, storeFiles } from '@/lib/datasets/stage-upload';
import { log } from '@/lib/log/logger';
import { createModel } from '@/lib/models/create-model';

export const DEMO_DATASET = 'Demo faces (LFW, 24 people)';
const DEMO_MODEL = 'Demo identity head';

/**
 * The demo partner's training set (db/seed/demo-faces: 120 real LFW photos of 24 people) and a
 * certified-removal model trained on it. The upload is embedded by the job runner; the model is
 * created once the upload has finished, in the background, so the server starts at once. Each step
 * is skipped when done, so a restart part-way finishes the job.
 */
export async function seedDemoPartnerData(organizationId: string, adminUserId: string): Promise<void> {
  const db = await getDb();
  let [dataset] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.organizationId, organizationId), eq(datasets.name, DEMO_DATASET)));
  const actor = { type: 'user', id: adminUserId } as const;
  if (!dataset) {
    dataset = await createDataset({
      organizationId,
      actor,
      input: { name: DEMO_DATASET, description: 'Labeled Faces in the Wild: 5 news photos of each of 24 public figures (demo data).' },
    });
    const dir = path.join(env().root, 'db', 'seed', 'demo-faces', 'training');
    const rows = parseManifest(fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8'));
    const files = new Map(rows.map((r) => [r.file, fs.readFileSync(path.join(dir, r.file))]));
    await stageUpload({ organizationId, datasetId: dataset.id, actor, rows, files: await storeFiles(files) });
    log.info('demo training set uploaded; its faces are being described', { datasetId: dataset.id });
  }
  const [model] = await db.select({ id: models.id }).from(models).where(eq(models.datasetId, dataset.id));
  if (model) return;
  const datasetId = dataset.id;
  void (async () => {
    for (let i = 0; i < 600; i++) {
      const open = await db
        .select({ id: ingests.id })
        .from(ingests)
        .where(and(eq(ingests.datasetId, datasetId), eq(ingests.status, 'running')));
      const queued = await db
        .select({ id: ingests.id })
        .from(ingests)
        .where(and(eq(ingests.datasetId, datasetId), eq(ingests.status, 'queued')));
      if (!open.length && !queued.length) {
        await createModel({
          organizationId,
          actor,
          input: { name: DEMO_MODEL, datasetId, kind: 'newton-certified', params: { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1 } },
        });
        log.info('demo model queued for training', { datasetId });
        return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    log.warn('the demo training set is still being embedded after 20 minutes; the demo model was not created');
  })().catch((err) => log.error('could not seed the demo model', { error: String(err) }));
}
