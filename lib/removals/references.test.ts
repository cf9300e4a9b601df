import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { getDb } from '@/db/client';
import { auditEvents, requestReferences } from '@/db/schema';
import { seedIndividual } from '@/db/seed/factories';
import { deleteBlob, getBlob, hasBlob } from '@/lib/blobs/blob-store';
import { open } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { AppError } from '@/lib/errors/app-error';
import { THUMBNAIL_SIDE } from '@/lib/faces/face-thumbnail';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { approveIdentityByOperator, reference } from '@/lib/testing/removal-fixtures';
import { CONSENT_VERSION } from './consent';
import { startMatching } from './matching';
import { addReference, listReferences, referenceDescriptors, referenceThumbnail, removeReference } from './references';
import { startRequest } from './start-request';

setUpTestEnvironment();
after(() => closeThreadPool());

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

/** A person's draft request with two accepted photos of one face. */
async function draftWithTwoPhotos() {
  const person = await seedIndividual();
  const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  const ids: string[] = [];
  for (const i of [0, 1]) {
    const added = await addReference({ userId: person.id, requestId: req.id, bytes: reference('Abdullah_Gul', i) });
    assert.ok(added.ok);
    ids.push(added.id);
  }
  return { person, req, ids };
}

describeEachDriver('reference photos before the search', () => {
  test('the owner sees each kept face and removes a photo (photo, descriptor and row gone, audited); nobody else can, nor after the search', async () => {
    const { person, req, ids } = await draftWithTwoPhotos();
    assert.deepEqual(
      (await listReferences(req.id)).map((r) => r.id),
      ids,
      'in the order they were added',
    );

    const thumb = await sharp(await referenceThumbnail({ userId: person.id, requestId: req.id, referenceId: ids[0] })).metadata();
    assert.deepEqual([thumb.format, thumb.width, thumb.height], ['jpeg', THUMBNAIL_SIDE, THUMBNAIL_SIDE]);

    const stranger = await seedIndividual();
    await assert.rejects(referenceThumbnail({ userId: stranger.id, requestId: req.id, referenceId: ids[0] }), code('not_found'));
    await assert.rejects(removeReference({ userId: stranger.id, requestId: req.id, referenceId: ids[0] }), code('not_found'));
    await assert.rejects(removeReference({ userId: person.id, requestId: req.id, referenceId: 'not-a-uuid' }), code('not_found'));

    const db = await getDb();
    const [row] = await db.select().from(requestReferences).where(eq(requestReferences.id, ids[0]));
    assert.equal(await hasBlob(row.photoBlob), true);
    await removeReference({ userId: person.id, requestId: req.id, referenceId: ids[0] });
    assert.equal(await hasBlob(row.photoBlob), false, 'the sealed photo is deleted');
    assert.deepEqual(
      (await listReferences(req.id)).map((r) => r.id),
      [ids[1]],
      'the row, with its sealed descriptor, is deleted',
    );
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'request.reference_removed'), eq(auditEvents.subjectId, req.id)));
    assert.deepEqual(
      events.map((e) => e.data),
      [{ referenceId: ids[0] }],
    );
    await assert.rejects(removeReference({ userId: person.id, requestId: req.id, referenceId: ids[0] }), code('not_found'), 'removed once');
    await assert.rejects(referenceThumbnail({ userId: person.id, requestId: req.id, referenceId: ids[0] }), code('not_found'));

    // A photo of several people: refused with the faces to pick from; picked, only the region around that face is kept.
    const groupPhoto = fs.readFileSync('lib/faces/fixtures/group-bbt3.jpg');
    const refused = await addReference({ userId: person.id, requestId: req.id, bytes: groupPhoto });
    assert.ok(!refused.ok && refused.code === 'several_faces' && refused.faces);
    const choice = refused.faces.find((f) => f.usable)!;
    const picked = await addReference({ userId: person.id, requestId: req.id, bytes: groupPhoto, pick: choice.box });
    assert.ok(picked.ok);
    const [kept] = await db.select().from(requestReferences).where(eq(requestReferences.id, picked.id));
    const crop = await sharp(open(await getBlob(kept.photoBlob), getDataKey(), `reference-photo:${picked.id}`)).metadata();
    const whole = await sharp(groupPhoto).metadata();
    const cropped = crop.width! <= choice.box[2] * 2 + 2 && crop.height! <= choice.box[3] * 2 + 2;
    assert.ok(cropped, `a crop of ${crop.width}×${crop.height}, not the ${whole.width}×${whole.height} photo`);
    assert.deepEqual(kept.box.slice(2), picked.box.slice(2), 'the face box, in the crop');
    assert.ok(kept.box[0] >= 0 && kept.box[0] + kept.box[2] <= crop.width! + 1);
    await removeReference({ userId: person.id, requestId: req.id, referenceId: picked.id });

    // Once the search starts, the photos are for matching alone: neither shown nor changed.
    await approveIdentityByOperator(person.id, req.id);
    await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.7' });
    await assert.rejects(removeReference({ userId: person.id, requestId: req.id, referenceId: ids[1] }), code('conflict'));
    await assert.rejects(referenceThumbnail({ userId: person.id, requestId: req.id, referenceId: ids[1] }), code('conflict'));
  });

  test('a removal cut short by a crash (the photo deleted, not yet its row) is finished before the photos are listed, counted or searched', async () => {
    const { person, req, ids } = await draftWithTwoPhotos();
    const kept = await referenceDescriptors(req.id);
    // removeReference's first statement, and then the process dies: the row and its descriptor remain.
    const db = await getDb();
    const [row] = await db.select().from(requestReferences).where(eq(requestReferences.id, ids[0]));
    await deleteBlob(row.photoBlob);

    const descriptors = await referenceDescriptors(req.id);
    assert.equal(descriptors.length, 1, 'the removed photo is not searched with');
    assert.ok(kept.some((d) => d.every((v, j) => v === descriptors[0][j])));
    assert.deepEqual(
      (await listReferences(req.id)).map((r) => r.id),
      [ids[1]],
    );
    assert.deepEqual(
      (await db.select({ id: requestReferences.id }).from(requestReferences).where(eq(requestReferences.requestId, req.id))).map((r) => r.id),
      [ids[1]],
      'its row, with the sealed descriptor, is deleted',
    );
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'request.reference_removed'), eq(auditEvents.subjectId, req.id)));
    assert.deepEqual([event.actorType, event.data], ['system', { referenceId: ids[0], afterInterruption: true }]);
    await assert.rejects(removeReference({ userId: person.id, requestId: req.id, referenceId: ids[0] }), code('not_found'), 'nothing left to remove');
  });
});
