import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, faces } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { createDataset } from '@/lib/datasets/create-dataset';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { holdoutData, trainingData } from './training-data';

setUpTestEnvironment();

describeEachDriver('the held-out samples, chosen in the database', () => {
  test('holdoutData selects exactly the held-out samples trainingData computes in JavaScript', async () => {
    const org = await seedPartner();
    const ds = await createDataset({ organizationId: org.organization.id, actor: { type: 'user', id: org.admin.id }, input: { name: 'd', description: '' } });
    const db = await getDb();
    // 60 labels of 1 to 12 items (labels under 3 items always train); some items with two faces (the larger one counts),
    // one removed item and one removed face.
    const items = Array.from({ length: 60 }, (_, l) => Array.from({ length: 1 + (l % 12) }, () => ({ id: crypto.randomUUID(), label: `p${l}` }))).flat();
    await db.insert(datasetItems).values(
      items.map((i) => ({
        id: i.id,
        datasetId: ds.id,
        externalId: i.id,
        label: i.label,
        sha256: crypto.randomBytes(32).toString('hex'),
        status: 'embedded' as const,
      })),
    );
    const vec = () => Array.from({ length: 128 }, () => Math.random() - 0.5);
    const rows = items.flatMap((i, k) => {
      const face = (faceIndex: number, size: number) => ({
        itemId: i.id,
        datasetId: ds.id,
        faceIndex,
        box: [0, 0, size, size],
        score: 0.9,
        embedding: vec(),
        embeddingModel: EMBEDDING_MODEL,
        removed: k === 7 && faceIndex === 1,
      });
      return k % 5 === 0 ? [face(0, 40), face(1, 80)] : [face(0, 50)];
    });
    await db.insert(faces).values(rows);
    await db.update(datasetItems).set({ removedAt: new Date() }).where(eq(datasetItems.id, items[3].id));

    const { train, holdout } = await trainingData(ds.id);
    const fromSql = await holdoutData(ds.id);
    assert.ok(holdout.ids.length >= 5 && train.ids.length > holdout.ids.length, `held out ${holdout.ids.length} of ${holdout.ids.length + train.ids.length}`);
    assert.deepEqual(fromSql.ids, holdout.ids);
    assert.deepEqual(fromSql.labels, holdout.labels);
    assert.deepEqual([...fromSql.x], [...holdout.x], 'the same face of each item (the largest), the same descriptor');
  });
});
