import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { test } from 'node:test';
import { datasetItems, datasets, faces, labelTemplates } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { AppError } from '@/lib/errors/app-error';
import { Rng } from '@/lib/unlearning/rng';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { cohortBytes, cohortDistance, cohortOffset, cohortVectors } from './cohort';
import { findMatches, type Tiers } from './find-matches';
import { itemLabels, templatesOf, type LabelDecision } from './label-decision';
import { refreshAllLabelTemplates, refreshLabelTemplates } from './label-templates';
import type { Thresholds } from './registry-thresholds';
import { l2, personDistance, probesFor } from './probes';

setUpTestEnvironment();
const MODEL = 'faceapi-128@1.7.15';
const rng = new Rng(3);
const unit = () => {
  const v = Array.from({ length: 128 }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const near = (c: number[], spread: number) => c.map((x) => x + (spread / Math.sqrt(128)) * rng.normal());
const person = unit();
const lookalike = near(person, 0.46); // about 0.5 from a reference: a "possible" match, not a shown one
const tiers = { shown: 0.4, possible: 0.55 };

/** Fixed tiers: per photo 0.3 / 0.4, and 0.2 / 0.3 for a label of any size (the cap decides). */
function fixedTiers(faces: number, labels: number): { photo: Tiers; thresholds: Thresholds } {
  const photo = { shown: 0.3, possible: 0.4 };
  const thresholds: Thresholds = {
    registry: { faces, labels },
    photo,
    label: [{ size: 1, shown: 0.2, possible: 0.3 }],
    rates: { photo, label: photo, largeLabel: photo },
    largeLabel: { photos: 3, chance: 0.01 },
    expectedStrangers: { shown: 0.01, possible: 1 },
    extrapolated: false,
    // A line far above every distance: the cap decides, 0.2 and 0.3 for a label of any size.
    lines: [{ size: 1, line: { intercept: 10, slope: 0.1 } }],
    cap: { shown: 0.2, possible: 0.3 },
  };
  return { photo, thresholds };
}

describeEachDriver('matcher', ({ handle }) => {
  let setA = '';
  let setB = '';
  const itemOf = new Map<string, string>();

  test('setup: two training sets with the person, strangers, a removed photo and another model', async () => {
    const { organization } = await seedPartner();
    const db = handle().db;
    [{ id: setA }, { id: setB }] = await db
      .insert(datasets)
      .values([
        { organizationId: organization.id, name: 'A' },
        { organizationId: organization.id, name: 'B' },
      ])
      .returning({ id: datasets.id });
    const add = async (datasetId: string, externalId: string, embedding: number[], model = MODEL) => {
      const [item] = await db
        .insert(datasetItems)
        .values({
          datasetId,
          externalId,
          label: externalId.split('-')[0],
          sha256: crypto.createHash('sha256').update(externalId).digest('hex'),
          status: 'embedded',
        })
        .returning({ id: datasetItems.id });
      itemOf.set(externalId, item.id);
      await db.insert(faces).values({ itemId: item.id, datasetId, faceIndex: 0, box: [0, 0, 10, 10], score: 0.99, embedding, embeddingModel: model });
    };
    for (let i = 0; i < 4; i++) await add(setA, `me-a${i}`, near(person, 0.18));
    await add(setB, 'me-b0', near(person, 0.18));
    await add(setB, 'lookalike-b1', lookalike);
    await add(setB, 'me-removed', near(person, 0.15));
    await add(setB, 'me-othermodel', near(person, 0.15), 'other-model@1');
    for (let i = 0; i < 300; i++) await add(i % 2 ? setA : setB, `stranger-${i}`, unit());
    await db
      .update(datasetItems)
      .set({ removedAt: new Date() })
      .where(eq(datasetItems.id, itemOf.get('me-removed')!));
    await db
      .update(faces)
      .set({ removed: true })
      .where(eq(faces.itemId, itemOf.get('me-removed')!));
  });

  test('the face index is the well-connected HNSW graph of migration 0007', async () => {
    const rows = (await handle().db.execute(sql`select indexdef from pg_indexes where indexname = 'faces_embedding_hnsw'`)) as unknown as {
      rows: { indexdef: string }[];
    };
    assert.match(rows.rows[0]?.indexdef ?? '', /USING hnsw \(embedding vector_l2_ops\) WITH \(m='16', ef_construction='128'\) WHERE \(NOT removed\)/);
  });

  test('finds the person in both sets, tiered, excluding removed items, other models and strangers', async () => {
    const refs = [near(person, 0.18), near(person, 0.18)];
    const result = await findMatches({ references: refs, model: MODEL, tiers });
    const ids = (xs: { itemId: string }[]) => xs.map((x) => [...itemOf].find(([, v]) => v === x.itemId)![0]).sort();
    const a = result.find((d) => d.datasetId === setA)!;
    const b = result.find((d) => d.datasetId === setB)!;
    assert.deepEqual(ids(a.shown), ['me-a0', 'me-a1', 'me-a2', 'me-a3']);
    assert.deepEqual(ids(b.shown), ['me-b0']);
    assert.deepEqual(ids(b.possible), ['lookalike-b1']);
    assert.equal(a.possible.length, 0);
    assert.ok(b.shown[0].distance < tiers.shown);
  });

  test('aggregation: the centroid of the references works too, and datasets can be restricted', async () => {
    const refs = [near(person, 0.18), near(person, 0.18), near(person, 0.18)];
    const result = await findMatches({ references: refs, model: MODEL, tiers, aggregation: 'centroid', datasetIds: [setA] });
    assert.deepEqual(
      result.map((d) => [d.datasetId, d.shown.length]),
      [[setA, 4]],
    );
  });

  test('references that disagree: one centroid between two looks misses the person, a centroid per group finds them', async () => {
    // Two photos of the person as registered, and one of another look (far from both).
    const refs = [near(person, 0.18), near(person, 0.18), unit()];
    const shownIn = (r: Awaited<ReturnType<typeof findMatches>>) => r.find((d) => d.datasetId === setA)?.shown.length ?? 0;
    const blind = await findMatches({ references: refs, model: MODEL, tiers, aggregation: 'centroid' });
    const grouped = await findMatches({ references: refs, model: MODEL, tiers, aggregation: 'centroid', groups: [[0, 1], [2]] });
    assert.ok(shownIn(blind) < 4, `the blind centroid showed ${shownIn(blind)} of the 4`);
    assert.equal(shownIn(grouped), 4);
    // Groups must cover every reference exactly once.
    for (const groups of [
      [[0, 1]],
      [
        [0, 1],
        [1, 2],
      ],
      [[0, 1, 2, 3]],
      [[0, 1], [5]],
      [[0, 1, 2], []],
      [],
    ])
      await assert.rejects(findMatches({ references: refs, model: MODEL, tiers, aggregation: 'centroid', groups }), (e: unknown) => e instanceof AppError);
  });

  test('bad references are refused', async () => {
    const bad = (refs: number[][]) =>
      assert.rejects(findMatches({ references: refs, model: MODEL, tiers }), (e: unknown) => e instanceof AppError && e.code === 'validation_failed');
    await bad([]);
    await bad([[1, 2, 3]]);
    await bad([person.map(() => NaN)]);
    await bad(Array.from({ length: 7 }, () => person));
  });

  test('cohort-normalised: missing cohort distances are filled, and it finds what an exact scan finds, beyond the raw threshold', async () => {
    const db = handle().db;
    const vectors = cohortVectors(cohortBytes(Array.from({ length: 200 }, unit)));
    // An offset 0.1 below the cohort's typical value: normalised distances run about 0.1 under raw ones.
    const cohort = { vectors, k: 10, offset: cohortOffset(vectors, 10) - 0.1 };
    const refs = [near(person, 0.18), near(person, 0.18)];
    const narrow = { shown: 0.3, possible: 0.45 };
    const result = await findMatches({ references: refs, model: MODEL, tiers: narrow, aggregation: 'centroid', cohort });

    const rows = await db
      .select({
        id: faces.id,
        itemId: faces.itemId,
        embedding: faces.embedding,
        cohortDistance: faces.cohortDistance,
        model: faces.embeddingModel,
        removed: faces.removed,
      })
      .from(faces);
    for (const r of rows) {
      if (r.model === MODEL && !r.removed)
        assert.ok(Math.abs(r.cohortDistance! - cohortDistance(r.embedding, cohort)) < 1e-5, `face ${r.id}: ${r.cohortDistance}`);
      else assert.equal(r.cohortDistance, null, 'removed faces and other models are left alone');
    }
    const probes = probesFor(refs, 'centroid');
    const score = personDistance(probes, cohort);
    const exact = rows
      .filter((r) => r.model === MODEL && !r.removed)
      .map((r) => ({ itemId: r.itemId, raw: l2(probes[0], r.embedding), d: score(r.embedding) }));
    const tier = (max: number, min = -Infinity) =>
      exact
        .filter((x) => x.d < max && x.d >= min)
        .map((x) => x.itemId)
        .sort();
    const got = (k: 'shown' | 'possible') => result.flatMap((d) => d[k].map((m) => m.itemId)).sort();
    assert.deepEqual(got('shown'), tier(narrow.shown));
    assert.deepEqual(got('possible'), tier(narrow.possible, narrow.shown));
    assert.ok(got('possible').includes(itemOf.get('lookalike-b1')!));
    assert.ok(
      exact.some((x) => x.d < narrow.possible && x.raw > narrow.possible),
      'a match lies beyond the raw possible threshold',
    );
  });

  test('labels: a photo only possible on its own is taken with its label of several photos, or not at all', async () => {
    const { organization } = await seedPartner();
    const db = handle().db;
    const [{ id: setE }] = await db.insert(datasets).values({ organizationId: organization.id, name: 'E' }).returning({ id: datasets.id });
    const eve = unit();
    // A stranger's label of 6 photos: 2 are possible matches for Eve on their own (about 0.35), 3 are
    // far, and 1 is Eve's own photo filed under the stranger's name (about 0.2: a shown match).
    // A label of one photo about 0.35 from her.
    const items = [
      ...[0, 1].map((i) => ({ externalId: `near-${i}`, label: 'stranger', embedding: near(eve, 0.35) })),
      ...[0, 1, 2].map((i) => ({ externalId: `far-${i}`, label: 'stranger', embedding: unit() })),
      { externalId: 'misfiled', label: 'stranger', embedding: near(eve, 0.2) },
      { externalId: 'solo', label: 'solo', embedding: near(eve, 0.35) },
    ];
    const idOf = new Map<string, string>();
    for (const it of items) {
      const sha256 = crypto.createHash('sha256').update(`${setE}:${it.externalId}`).digest('hex');
      const [item] = await db
        .insert(datasetItems)
        .values({ datasetId: setE, externalId: it.externalId, label: it.label, sha256, status: 'embedded' })
        .returning({ id: datasetItems.id });
      idOf.set(item.id, it.externalId);
      await db
        .insert(faces)
        .values({ itemId: item.id, datasetId: setE, faceIndex: 0, box: [0, 0, 10, 10], score: 0.99, embedding: it.embedding, embeddingModel: MODEL });
    }
    await refreshAllLabelTemplates(db, setE);
    const { photo, thresholds } = fixedTiers(items.length, 2);
    const search = async (labels?: LabelDecision) => {
      const [d] = await findMatches({ references: [eve], model: MODEL, tiers: photo, datasetIds: [setE], labels });
      return { shown: d.shown.map((m) => idOf.get(m.itemId)).sort(), possible: d.possible.map((m) => idOf.get(m.itemId)).sort(), labels: d.labels };
    };
    assert.deepEqual(await search(), { shown: ['misfiled'], possible: ['near-0', 'near-1', 'solo'], labels: [] }, 'per photo alone');
    assert.deepEqual(
      await search({ thresholds, shareDistance: 0.45, minShare: 0.5 }),
      { shown: ['misfiled'], possible: ['solo'], labels: [] },
      "the stranger's label is not taken (3 of 6 near, its template far), so its possible photos go with it; the shown photo and the label of one stay",
    );
  });

  test('labels: a label whose template is the person is taken whole; a lookalike label of 500 photos and a scattered label are not', async () => {
    const { organization } = await seedPartner();
    const db = handle().db;
    const [{ id: setC }] = await db.insert(datasets).values({ organizationId: organization.id, name: 'C' }).returning({ id: datasets.id });
    const ann = unit();
    const items: { externalId: string; label: string; embedding: number[] }[] = [];
    // Ann: 30 photos each about 0.55 from her (beyond the per-photo tiers below), whose mean is about 0.1 from her.
    for (let i = 0; i < 30; i++) items.push({ externalId: `ann-${i}`, label: 'ann', embedding: near(ann, 0.55) });
    // Bob looks like Ann: 500 photos about his own centre 0.6 from her; 5 of them happen to lie 0.35 from her.
    const bob = near(ann, 0.6);
    for (let i = 0; i < 495; i++) items.push({ externalId: `bob-${i}`, label: 'bob', embedding: near(bob, 0.3) });
    for (let i = 0; i < 5; i++) items.push({ externalId: `bob-close-${i}`, label: 'bob', embedding: near(ann, 0.35) });
    // A scattered label: 60 photos each 0.8 from Ann in every direction, so their mean is near her, but none of them is.
    for (let i = 0; i < 60; i++) items.push({ externalId: `mix-${i}`, label: 'mix', embedding: near(ann, 0.8) });
    for (const it of items) {
      const [item] = await db
        .insert(datasetItems)
        .values({
          datasetId: setC,
          externalId: it.externalId,
          label: it.label,
          sha256: crypto
            .createHash('sha256')
            .update(setC + it.externalId)
            .digest('hex'),
          status: 'embedded',
        })
        .returning({ id: datasetItems.id });
      itemOf.set(`${setC}:${it.externalId}`, item.id);
      await db
        .insert(faces)
        .values({ itemId: item.id, datasetId: setC, faceIndex: 0, box: [0, 0, 10, 10], score: 0.99, embedding: it.embedding, embeddingModel: MODEL });
    }
    await refreshAllLabelTemplates(db, setC);
    const { photo, thresholds } = fixedTiers(items.length, 3);
    const names = (xs: { itemId: string }[]) => xs.map((x) => [...itemOf].find(([, v]) => v === x.itemId)![0].split(':')[1]);
    const search = (labels?: LabelDecision) => findMatches({ references: [ann], model: MODEL, tiers: photo, datasetIds: [setC], labels });
    const [plain] = await search();
    assert.deepEqual(plain.shown, [], 'per photo, nothing is close enough to show');
    assert.deepEqual(
      new Set(names(plain.possible).map((n) => n.replace(/-\d+$/, ''))),
      new Set(['bob-close']),
      'per photo, only the five close lookalike photos',
    );

    const [withLabels] = await search({ thresholds, shareDistance: 0.7, minShare: 0.5 });
    assert.deepEqual(names(withLabels.shown).sort(), Array.from({ length: 30 }, (_, i) => `ann-${i}`).sort(), "all of Ann's label is shown");
    assert.deepEqual(
      withLabels.labels.map((l) => [l.label, l.faces, l.tier]),
      [['ann', 30, 'shown']],
    );
    assert.ok(withLabels.labels[0].distance < 0.2 && withLabels.labels[0].share === 1);
    assert.equal(names(withLabels.possible).filter((n) => n.startsWith('bob-') && !n.startsWith('bob-close')).length, 0, "none of Bob's other 495 photos");
    assert.equal(names(withLabels.possible).filter((n) => n.startsWith('mix-')).length, 0, 'the scattered label fails the share rule');

    // Another training set with a label of the same name (40 strangers): each set's label is its own.
    const [{ id: setD }] = await db.insert(datasets).values({ organizationId: organization.id, name: 'D' }).returning({ id: datasets.id });
    for (let i = 0; i < 40; i++) {
      const externalId = `other-ann-${i}`;
      const sha256 = crypto
        .createHash('sha256')
        .update(setD + externalId)
        .digest('hex');
      const [item] = await db
        .insert(datasetItems)
        .values({ datasetId: setD, externalId, label: 'ann', sha256, status: 'embedded' })
        .returning({ id: datasetItems.id });
      itemOf.set(`${setD}:${externalId}`, item.id);
      await db
        .insert(faces)
        .values({ itemId: item.id, datasetId: setD, faceIndex: 0, box: [0, 0, 10, 10], score: 0.99, embedding: unit(), embeddingModel: MODEL });
    }
    await refreshAllLabelTemplates(db, setD);
    const sizes = await db
      .select({ datasetId: labelTemplates.datasetId, faces: labelTemplates.faces })
      .from(labelTemplates)
      .where(eq(labelTemplates.label, 'ann'));
    assert.deepEqual(sizes.map((r) => [r.datasetId === setC ? 'C' : r.datasetId === setD ? 'D' : '?', r.faces]).sort(), [
      ['C', 30],
      ['D', 40],
    ]);
    const both = await findMatches({
      references: [ann],
      model: MODEL,
      tiers: photo,
      datasetIds: [setC, setD],
      labels: { thresholds, shareDistance: 0.7, minShare: 0.5 },
    });
    const inC = both.find((d) => d.datasetId === setC);
    assert.deepEqual(
      inC?.labels.map((l) => [l.label, l.faces]),
      [['ann', 30]],
      "set C's Ann: her 30 photos, none of set D's",
    );
    assert.equal(names(inC?.shown ?? []).length, 30);
    assert.deepEqual(both.find((d) => d.datasetId === setD)?.labels ?? [], [], "set D's label of the same name is not taken");

    // Without the share rule the scattered label's template alone would take it: the rule is what stops it.
    const [noShare] = await search({ thresholds, shareDistance: 0.7, minShare: 0 });
    assert.ok(noShare.labels.some((l) => l.label === 'mix'));

    // A removal rewrites the label's template from the photos it keeps.
    const gone = Array.from({ length: 30 }, (_, i) => itemOf.get(`${setC}:ann-${i}`)!);
    await db
      .update(faces)
      .set({ removed: true })
      .where(inArray(faces.itemId, gone.slice(0, 29)));
    await refreshLabelTemplates(db, setC, ['ann']);
    const [template] = await db
      .select()
      .from(labelTemplates)
      .where(and(eq(labelTemplates.datasetId, setC), eq(labelTemplates.label, 'ann')));
    assert.equal(template.faces, 1);
    await db
      .update(faces)
      .set({ removed: true })
      .where(inArray(faces.itemId, gone.slice(29)));
    await refreshLabelTemplates(db, setC, ['ann']);
    assert.equal(
      (
        await db
          .select()
          .from(labelTemplates)
          .where(and(eq(labelTemplates.datasetId, setC), eq(labelTemplates.label, 'ann')))
      ).length,
      0,
      'no photo left, no template',
    );
  });

  test("labels: the labels of more items than a statement's 65,535 parameters are read in chunks", async () => {
    const db = handle().db;
    const [known] = await db.select({ id: datasetItems.id }).from(datasetItems).where(eq(datasetItems.externalId, 'other-ann-0'));
    const ids = [...Array.from({ length: 70_000 }, () => crypto.randomUUID()), known.id];
    const found = await itemLabels(db, ids, MODEL);
    assert.deepEqual([...found.keys()], [known.id]);
    assert.equal(found.get(known.id)?.label, 'ann');
  });

  test('labels: templates read by key (the labels of the nearest photos) carry their distance to the probe', async () => {
    const db = handle().db;
    const [d] = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, 'D'));
    const [t] = await db
      .select()
      .from(labelTemplates)
      .where(and(eq(labelTemplates.datasetId, d.id), eq(labelTemplates.label, 'ann')));
    const probe = unit();
    const keys = [
      { datasetId: d.id, label: 'ann' },
      { datasetId: d.id, label: 'nobody' },
      { datasetId: setA, label: 'ann' },
    ];
    const [got, ...rest] = await templatesOf(db, MODEL, JSON.stringify(probe), keys);
    assert.deepEqual(rest, [], 'unknown labels and a set without the label give nothing');
    assert.deepEqual([got.datasetId, got.label, got.faces], [d.id, 'ann', 40]);
    assert.ok(Math.abs(got.d - l2(probe, t.template)) < 1e-5, `${got.d} is the template's distance`);
    assert.deepEqual(await templatesOf(db, 'another-model@1', JSON.stringify(probe), keys), []);
    assert.deepEqual(await templatesOf(db, MODEL, JSON.stringify(probe), keys, [setA]), [], 'only the sets searched');
  });
});
