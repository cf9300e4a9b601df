import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { datasetItems, datasets, faces } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { searchForPerson } from '@/lib/removals/person-search';
import { sharedFaces, type SharedFace } from '@/lib/testing/shared-faces';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { refreshAllLabelTemplates } from './label-templates';

setUpTestEnvironment();

/**
 * The product's search (searchForPerson: the thresholds for this registry's size, per photo and per
 * label, reference groups, the committed cohort) on a registry of real faces, the shared corpora's
 * descriptors (lib/testing/shared-faces.ts). Two training sets: news photos (LFW), every person a
 * label, with two labels of 500+ photos of one person (Colin Powell, 945; Tony Blair, 575) and one
 * label of 600 photos of hundreds of people (a web crawl's unsorted label), the other LFW strangers
 * each their own label; and studio photos (AT&T), a label a person. Half of the people who have
 * reference photos are in the registry and half are not: a requester who is not meets only
 * strangers, so every photo found for them is a stranger's.
 */
const all = sharedFaces();
const LARGE = new Set(['Colin_Powell', 'Tony_Blair']);
const withRefs = [...new Set(all.filter((f) => f.corpus === 'lfw-train-extra').map((f) => f.person))].sort();
const absentLfw = new Set(withRefs.filter((p, i) => i % 2 === 1 && !LARGE.has(p)));
const attNumber = (f: SharedFace) => Number(f.person.slice(1));
const isAttRef = (f: SharedFace) => /^[12]\.png$/.test(f.file);
const absent = (f: SharedFace) => (f.corpus === 'att_faces' ? attNumber(f) % 2 === 0 : absentLfw.has(f.person));
const strangers = all.filter((f) => f.corpus === 'lfw-strangers').sort((a, b) => (a.person + a.file < b.person + b.file ? -1 : 1));
const CRAWL = 600;

type Stored = SharedFace & { set: 'news' | 'studio'; label: string };
const stored: Stored[] = [
  ...all
    .filter((f) => f.corpus === 'lfw-train' && !absent(f) && (f.variant === '' || LARGE.has(f.person)))
    .map((f) => ({ ...f, set: 'news' as const, label: f.person })),
  ...strangers.map((f, i) => ({ ...f, set: 'news' as const, label: i < CRAWL ? 'unsorted-crawl' : f.person })),
  ...all.filter((f) => f.corpus === 'att_faces' && !absent(f) && !isAttRef(f)).map((f) => ({ ...f, set: 'studio' as const, label: f.person })),
];

/** Each requester's reference photos (up to 3, as a person uploads), and whether their label is in the registry. */
const requesters = [
  ...withRefs.map((person) => ({ person, corpus: 'lfw-train', refs: all.filter((f) => f.corpus === 'lfw-train-extra' && f.person === person) })),
  ...[...new Set(all.filter((f) => f.corpus === 'att_faces').map((f) => f.person))].map((person) => ({
    person,
    corpus: 'att_faces',
    refs: all.filter((f) => f.corpus === 'att_faces' && f.person === person && isAttRef(f)),
  })),
].map((r) => ({ ...r, refs: r.refs.slice(0, 3).map((f) => f.descriptor), absent: absent(r.refs[0]) }));

describeEachDriver('the matcher on real faces, with labels of 500+ photos', ({ handle }) => {
  const whoseItem = new Map<string, Stored>();
  type Outcome = { person: string; absent: boolean; genuine: number; shownTrue: number; foundTrue: number; shownStrangers: number; strangers: number };
  const outcomes: Outcome[] = [];

  test('setup: the registry, and every requester searched', async () => {
    const db = handle().db;
    const { organization } = await seedPartner();
    const sets = await db
      .insert(datasets)
      .values([
        { organizationId: organization.id, name: 'news' },
        { organizationId: organization.id, name: 'studio' },
      ])
      .returning({ id: datasets.id, name: datasets.name });
    const setId = (name: string) => sets.find((s) => s.name === name)!.id;
    for (let at = 0; at < stored.length; at += 500) {
      const batch = stored.slice(at, at + 500);
      const items = await db
        .insert(datasetItems)
        .values(
          batch.map((f) => ({
            datasetId: setId(f.set),
            externalId: `${f.person}/${f.file}${f.variant ? `#${f.variant}` : ''}`,
            label: f.label,
            sha256: crypto.createHash('sha256').update(`${f.corpus}/${f.person}/${f.file}/${f.variant}`).digest('hex'),
            status: 'embedded' as const,
          })),
        )
        .returning({ id: datasetItems.id });
      items.forEach((item, i) => whoseItem.set(item.id, batch[i]));
      await db.insert(faces).values(
        batch.map((f, i) => ({
          itemId: items[i].id,
          datasetId: setId(f.set),
          faceIndex: 0,
          box: [0, 0, 100, 100],
          score: 0.99,
          embedding: f.descriptor,
          embeddingModel: EMBEDDING_MODEL,
        })),
      );
    }
    for (const s of sets) await refreshAllLabelTemplates(db, s.id);
    const genuineOf = new Map<string, number>();
    for (const f of stored) if (f.label === f.person) genuineOf.set(f.person, (genuineOf.get(f.person) ?? 0) + 1);
    for (const r of requesters) {
      const { found } = await searchForPerson(db, r.refs);
      const o: Outcome = {
        person: r.person,
        absent: r.absent,
        genuine: genuineOf.get(r.person) ?? 0,
        shownTrue: 0,
        foundTrue: 0,
        shownStrangers: 0,
        strangers: 0,
      };
      for (const d of found) {
        for (const [tier, matches] of [
          ['shown', d.shown],
          ['possible', d.possible],
        ] as const) {
          for (const m of matches) {
            const mine = whoseItem.get(m.itemId)!.person === r.person && whoseItem.get(m.itemId)!.label === r.person;
            if (mine) {
              o.foundTrue++;
              if (tier === 'shown') o.shownTrue++;
            } else {
              o.strangers++;
              if (tier === 'shown') o.shownStrangers++;
            }
          }
        }
      }
      outcomes.push(o);
    }
    assert.equal(outcomes.length, requesters.length);
    assert.ok(stored.filter((f) => f.label === 'Colin_Powell').length >= 500 && stored.filter((f) => f.label === 'Tony_Blair').length >= 500);
  });

  test('a requester in no training set: at most 1 stranger photo on average and 5 in any one request, and rarely one shown', () => {
    const away = outcomes.filter((o) => o.absent);
    assert.ok(away.length >= 90, `${away.length} absent requesters`);
    const mean = away.reduce((s, o) => s + o.strangers, 0) / away.length;
    const worst = [...away].sort((a, b) => b.strangers - a.strangers).slice(0, 5);
    const described = worst.map((o) => `${o.person}: ${o.strangers}`).join(', ');
    assert.ok(mean <= 1, `mean ${mean.toFixed(2)} stranger photos a request (${described})`);
    assert.ok(worst[0].strangers <= 5, `at most 5 stranger photos in one request, not ${described}`);
    // The shown tier's promise is 0.01 stranger photos a request: about 1 in these requests. With 1
    // expected, 4 or more happen by chance less than 2 % of the time (Poisson).
    const shown = away.reduce((s, o) => s + o.shownStrangers, 0);
    assert.ok(shown <= Math.max(3, 0.03 * away.length), `${shown} stranger photos shown to ${away.length} requesters`);
  });

  test('a requester in the registry: their label found, 500+ photos too, and no stranger shown', () => {
    const here = outcomes.filter((o) => !o.absent && o.genuine >= 3);
    assert.ok(here.length >= 90, `${here.length} present requesters`);
    const genuine = here.reduce((s, o) => s + o.genuine, 0);
    const possibleRecall = here.reduce((s, o) => s + o.foundTrue, 0) / genuine;
    const shownRecall = here.reduce((s, o) => s + o.shownTrue, 0) / genuine;
    assert.ok(possibleRecall >= 0.95, `possible-tier recall ${possibleRecall.toFixed(3)}`);
    assert.ok(shownRecall >= 0.8, `shown recall ${shownRecall.toFixed(3)}`);
    for (const person of LARGE) {
      const o = here.find((x) => x.person === person)!;
      assert.ok(o.foundTrue / o.genuine >= 0.95, `${person}: ${o.foundTrue} of ${o.genuine}`);
    }
    const shownStrangers = here.reduce((s, o) => s + o.shownStrangers, 0);
    assert.ok(shownStrangers <= 1, `${shownStrangers} strangers shown to ${here.length} requesters`);
  });
});
