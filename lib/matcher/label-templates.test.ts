import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { test } from 'node:test';
import { datasetItems, datasets, faces, labelTemplates } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { Rng } from '@/lib/unlearning/rng';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { cohortOffset, type Cohort } from './cohort';
import { refreshAllLabelTemplates, refreshLabelTemplates } from './label-templates';

setUpTestEnvironment();
const MODEL = 'faceapi-128@1.7.15';
const OTHER = 'partner-128@1';
const rng = new Rng(11);
const vector = () => Array.from({ length: 128 }, () => rng.normal() * 0.1);
const cohortVectors = new Float32Array(Array.from({ length: 40 }, vector).flat());
const cohort: Cohort = { vectors: cohortVectors, k: 5, offset: cohortOffset(cohortVectors, 5) };

/** The mean distance to the k nearest cohort faces, by sorting every distance (independent of cohortDistance's running best-k). */
function sortedCohortDistance(v: number[]): number {
  const d: number[] = [];
  for (let j = 0; j < cohortVectors.length / 128; j++) {
    let s = 0;
    for (let x = 0; x < 128; x++) s += (v[x] - cohortVectors[j * 128 + x]) ** 2;
    d.push(Math.sqrt(s));
  }
  return (
    d
      .sort((a, b) => a - b)
      .slice(0, cohort.k)
      .reduce((a, b) => a + b, 0) / cohort.k
  );
}

const mean = (vs: number[][]) => vs[0].map((_, x) => vs.reduce((s, v) => s + Math.fround(v[x]), 0) / vs.length);

describeEachDriver('label templates', ({ handle }) => {
  let datasetId = '';
  const itemsOf = new Map<string, string[]>();
  const vectorsOf = new Map<string, number[][]>();

  const add = async (label: string, embedding: number[], model = MODEL) => {
    const db = handle().db;
    const externalId = `${label}-${model}-${(itemsOf.get(label) ?? []).length}`;
    const [item] = await db
      .insert(datasetItems)
      .values({ datasetId, externalId, label, sha256: crypto.createHash('sha256').update(externalId).digest('hex'), status: 'embedded' })
      .returning({ id: datasetItems.id });
    itemsOf.set(label, [...(itemsOf.get(label) ?? []), item.id]);
    if (model === MODEL) vectorsOf.set(label, [...(vectorsOf.get(label) ?? []), embedding]);
    await db.insert(faces).values({ itemId: item.id, datasetId, faceIndex: 0, box: [0, 0, 10, 10], score: 0.99, embedding, embeddingModel: model });
  };
  const templatesOf = (label: string) =>
    handle()
      .db.select()
      .from(labelTemplates)
      .where(and(eq(labelTemplates.datasetId, datasetId), eq(labelTemplates.label, label)))
      .orderBy(labelTemplates.embeddingModel);

  test('setup: labels of one model and of two', async () => {
    const { organization } = await seedPartner();
    [{ id: datasetId }] = await handle().db.insert(datasets).values({ organizationId: organization.id, name: 'T' }).returning({ id: datasets.id });
    for (let i = 0; i < 3; i++) await add('ann', vector());
    for (let i = 0; i < 2; i++) await add('bob', vector());
    await add('bob', vector(), OTHER);
  });

  test('the mean, the count and, for the cohort model only, its cohort distance, written with the template', async () => {
    await refreshLabelTemplates(handle().db, datasetId, ['ann', 'bob', 'bob'], { model: MODEL, cohort });
    const [ann] = await templatesOf('ann');
    assert.equal(ann.faces, 3);
    const want = mean(vectorsOf.get('ann')!);
    assert.ok(
      ann.template.every((x, i) => Math.abs(x - want[i]) < 1e-6),
      'the template is the mean of the faces',
    );
    assert.ok(Math.abs(ann.cohortDistance! - sortedCohortDistance(ann.template)) < 1e-5, 'the cohort distance of the stored template');
    const bob = await templatesOf('bob');
    assert.deepEqual(
      bob.map((t) => [t.embeddingModel, t.faces, t.cohortDistance === null]),
      [
        [MODEL, 2, false],
        [OTHER, 1, true],
      ],
      "another model's template gets no distance from this cohort",
    );
  });

  test('without a cohort the distance is cleared; a refresh with it writes the same rows again', async () => {
    const db = handle().db;
    await refreshLabelTemplates(db, datasetId, ['ann']);
    assert.equal((await templatesOf('ann'))[0].cohortDistance, null);
    await refreshLabelTemplates(db, datasetId, ['ann'], { model: MODEL, cohort });
    const first = await templatesOf('ann');
    await refreshLabelTemplates(db, datasetId, ['ann'], { model: MODEL, cohort });
    const again = await templatesOf('ann');
    assert.deepEqual(
      again.map((t) => [t.template, t.faces, t.cohortDistance]),
      first.map((t) => [t.template, t.faces, t.cohortDistance]),
    );
  });

  test("a model's template goes with its last face; the label's other model keeps its own", async () => {
    const db = handle().db;
    const bobItems = itemsOf.get('bob')!;
    await db
      .update(faces)
      .set({ removed: true })
      .where(and(inArray(faces.itemId, bobItems), eq(faces.embeddingModel, MODEL)));
    await refreshLabelTemplates(db, datasetId, ['bob'], { model: MODEL, cohort });
    assert.deepEqual(
      (await templatesOf('bob')).map((t) => [t.embeddingModel, t.faces]),
      [[OTHER, 1]],
    );
    assert.equal((await templatesOf('ann')).length, 1, 'a label not named is left alone');
  });

  test('more labels than one statement takes are refreshed in chunks, every one', async () => {
    const db = handle().db;
    const many = Array.from({ length: 1_050 }, (_, i) => `p${i}`);
    const rows = many.map((label) => ({
      datasetId,
      externalId: `${label}-x`,
      label,
      sha256: crypto.createHash('sha256').update(label).digest('hex'),
      status: 'embedded' as const,
    }));
    const items = await db.insert(datasetItems).values(rows).returning({ id: datasetItems.id });
    const embedding = vector();
    await db
      .insert(faces)
      .values(items.map((it) => ({ itemId: it.id, datasetId, faceIndex: 0, box: [0, 0, 10, 10], score: 0.99, embedding, embeddingModel: MODEL })));
    await refreshAllLabelTemplates(db, datasetId, { model: MODEL, cohort });
    const written = await db
      .select({ label: labelTemplates.label, d: labelTemplates.cohortDistance })
      .from(labelTemplates)
      .where(and(eq(labelTemplates.datasetId, datasetId), eq(labelTemplates.embeddingModel, MODEL)));
    assert.equal(written.length, many.length + 1, "the 1,050 new labels and ann's (bob has no face of this model left)");
    const expected = sortedCohortDistance(embedding.map((x) => Math.fround(x)));
    assert.ok(
      written.filter((w) => w.label.startsWith('p')).every((w) => Math.abs(w.d! - expected) < 1e-5),
      'the last chunk too',
    );
  });
});
