import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { seedIndividual } from '@/db/seed/factories';
import { auditEvents, faceGuard, livenessChecks, removalRequests } from '@/db/schema';
import { AppError, type ErrorCode } from '@/lib/errors/app-error';
import { stopBoss } from '@/lib/jobs/boss';
import { CONSENT_VERSION } from '@/lib/removals/consent';
import { runMatching, startMatching } from '@/lib/removals/matching';
import { addReference } from '@/lib/removals/references';
import { purgeRequestData } from '@/lib/removals/retention';
import { startRequest } from '@/lib/removals/start-request';
import { attPortraits, cameraFrame, captureFrames, FRAME, poseLibrary, seeded, type PoseLibrary } from '@/lib/testing/live-capture-video';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { askIdentityReview, decideIdentityReview } from './identity-review';
import { issueChallenge, submitCapture } from './live-capture';

setUpTestEnvironment();
after(() => stopBoss());

const code = (c: ErrorCode) => (e: unknown) => e instanceof AppError && e.code === c;
const people: Record<string, PoseLibrary> = {};
before(async () => {
  for (const s of ['s2', 's7', 's10', 's39']) people[s] = await poseLibrary(attPortraits(path.resolve('lib/liveness/fixtures/att', s)));
});

/** A selfie of `who`: one of their frontal portraits as a camera frame (JPEG). */
async function selfie(who: string, seed = 5): Promise<Buffer> {
  const grey = await cameraFrame(people[who].center[0], seeded(seed));
  return sharp(Buffer.from(grey), { raw: { width: FRAME.width, height: FRAME.height, channels: 1 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A person with a draft request and one reference photo of `who`. */
async function draftWithReference(who: string) {
  const person = await seedIndividual();
  const r = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  const added = await addReference({ userId: person.id, requestId: r.id, bytes: await selfie(who) });
  assert.ok(added.ok, JSON.stringify(added));
  return { person, requestId: r.id };
}

describeEachDriver('live capture', ({ handle }) => {
  test('the person performing the challenge passes, and only then can search', async () => {
    const { person, requestId } = await draftWithReference('s2');
    await assert.rejects(startMatching({ userId: person.id, requestId, ip: '192.0.2.1' }), code('live_capture_required'));
    const challenge = await issueChallenge({ userId: person.id, requestId });
    assert.deepEqual((await issueChallenge({ userId: person.id, requestId })).id, challenge.id, 'a reload resumes the open challenge');
    const outcome = await submitCapture({ userId: person.id, requestId, checkId: challenge.id, frames: await captureFrames(people.s2, challenge.steps) });
    assert.deepEqual(outcome, { ok: true });
    await assert.rejects(submitCapture({ userId: person.id, requestId, checkId: challenge.id, frames: [] }), code('conflict'), 'answered once');
    await startMatching({ userId: person.id, requestId, ip: '192.0.2.1' });
    const [check] = await handle().db.select().from(livenessChecks).where(eq(livenessChecks.id, challenge.id));
    assert.equal(check.status, 'passed');
    assert.ok(check.liveDescriptorSealed && check.frameHashes!.length >= 40);
    await purgeRequestData(requestId, 'withdrawn');
    const [purged] = await handle().db.select().from(livenessChecks).where(eq(livenessChecks.id, challenge.id));
    assert.equal(purged.liveDescriptorSealed, null, 'the live face goes with the references');
  });

  test('a photo held to the camera, a capture ignoring the challenge and a replay are refused', async () => {
    const { person, requestId } = await draftWithReference('s39');
    const still = await issueChallenge({ userId: person.id, requestId });
    const photo = await captureFrames(people.s39, still.steps, { poseFor: () => 'center', seed: 2 });
    assert.equal(
      ((o) => (o.ok ? 'passed' : o.code))(await submitCapture({ userId: person.id, requestId, checkId: still.id, frames: photo })),
      'challenge_not_followed',
    );

    const ignored = await issueChallenge({ userId: person.id, requestId });
    const opposite = (t: number) => {
      const s = ignored.steps.find((x) => t >= x.fromMs && t < x.toMs) ?? ignored.steps[0];
      return s.pose === 'left' ? 'right' : s.pose === 'right' ? 'left' : 'center';
    };
    const wrong = await captureFrames(people.s39, ignored.steps, { poseFor: opposite, seed: 3 });
    assert.equal(
      ((o) => (o.ok ? 'passed' : o.code))(await submitCapture({ userId: person.id, requestId, checkId: ignored.id, frames: wrong })),
      'challenge_not_followed',
    );

    const good = await issueChallenge({ userId: person.id, requestId });
    const frames = await captureFrames(people.s39, good.steps, { seed: 4 });
    assert.deepEqual(await submitCapture({ userId: person.id, requestId, checkId: good.id, frames }), { ok: true });
    const again = await issueChallenge({ userId: person.id, requestId });
    assert.equal(((o) => (o.ok ? 'passed' : o.code))(await submitCapture({ userId: person.id, requestId, checkId: again.id, frames })), 'replayed');
  });

  test("someone else's photos are refused at the capture and flagged; the same face from a second account too", async () => {
    const { person, requestId } = await draftWithReference('s7');
    const c = await issueChallenge({ userId: person.id, requestId });
    const outcome = await submitCapture({ userId: person.id, requestId, checkId: c.id, frames: await captureFrames(people.s2, c.steps, { seed: 8 }) });
    assert.equal(outcome.ok ? 'passed' : outcome.code, 'reference_mismatch');
    const flags = await handle().db.select().from(auditEvents).where(eq(auditEvents.action, 'abuse.references_mismatch'));
    assert.ok(flags.some((f) => f.subjectId === requestId));

    // s2 passed from another account in the first test: the same face here is refused and flagged.
    const second = await draftWithReference('s2');
    const c2 = await issueChallenge({ userId: second.person.id, requestId: second.requestId });
    const reused = await submitCapture({
      userId: second.person.id,
      requestId: second.requestId,
      checkId: c2.id,
      frames: await captureFrames(people.s2, c2.steps, { seed: 9 }),
    });
    assert.equal(reused.ok ? 'passed' : reused.code, 'face_reused');
    const reuse = await handle().db.select().from(auditEvents).where(eq(auditEvents.action, 'abuse.face_reused'));
    assert.ok(reuse.some((f) => f.subjectId === second.requestId));
    assert.ok((await handle().db.select().from(faceGuard)).length >= 1);
  });

  test('a capture after its deadline is refused; without a camera, an operator review opens the search', async () => {
    const { person, requestId } = await draftWithReference('s39');
    const c = await issueChallenge({ userId: person.id, requestId });
    await handle()
      .db.update(livenessChecks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(livenessChecks.id, c.id));
    const late = await submitCapture({ userId: person.id, requestId, checkId: c.id, frames: await captureFrames(people.s39, c.steps, { seed: 11 }) });
    assert.equal(late.ok ? 'passed' : late.code, 'bad_timing');

    await assert.rejects(askIdentityReview({ userId: person.id, requestId, reason: 'short' }), code('validation_failed'));
    await askIdentityReview({ userId: person.id, requestId, reason: 'My computer has no camera and I cannot borrow one.' });
    await assert.rejects(startMatching({ userId: person.id, requestId, ip: '192.0.2.2' }), code('live_capture_required'), 'pending is not approved');
    await decideIdentityReview(requestId, 'approved', 'operator@test');
    await startMatching({ userId: person.id, requestId, ip: '192.0.2.2' });
  });

  // s10 is no other test's face (the face guard refuses a face searched from another account).
  test('five reference photos and the live face: the search takes all six', async () => {
    const { person, requestId } = await draftWithReference('s10');
    for (const seed of [6, 7, 8, 9]) assert.ok((await addReference({ userId: person.id, requestId, bytes: await selfie('s10', seed) })).ok);
    const challenge = await issueChallenge({ userId: person.id, requestId });
    const outcome = await submitCapture({
      userId: person.id,
      requestId,
      checkId: challenge.id,
      frames: await captureFrames(people.s10, challenge.steps, { seed: 12 }),
    });
    assert.deepEqual(outcome, { ok: true });
    await startMatching({ userId: person.id, requestId, ip: '192.0.2.1' });
    await runMatching(requestId);
    const [r] = await handle().db.select().from(removalRequests).where(eq(removalRequests.id, requestId));
    assert.equal(r.status, 'review');
    assert.equal(r.searchScope?.references?.photos, 6);
  });
});
