import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAPTURE_MS, newChallenge, type ChallengeStep } from './challenge';
import { judgeCapture, LIVENESS, type FrameObservation } from './judge-capture';
import { POSE_SIGN } from './head-pose';

// Known answers on hand-made observations: a person whose frontal yaw is 0.03, whose descriptor is
// `me` (another person: `other`), turning by 0.25 when asked.
const me = Array.from({ length: 128 }, (_, i) => (i % 7) / 50);
const other = me.map((v, i) => v + (i % 2 ? 0.08 : -0.08));
const steps: ChallengeStep[] = newChallenge(() => 1).map((s, i) => (s.pose === 'center' ? s : { ...s, pose: i % 4 === 1 ? 'left' : 'right' }));

function frames(opts: { yawAt?: (t: number, s: ChallengeStep) => number; face?: (t: number) => number[]; count?: number } = {}): FrameObservation[] {
  const out: FrameObservation[] = [];
  const n = opts.count ?? 82;
  for (let i = 0; i < n; i++) {
    const t = Math.round((i * CAPTURE_MS) / n);
    const s = steps.find((x) => t >= x.fromMs && t < x.toMs)!;
    const yaw = opts.yawAt ? opts.yawAt(t, s) : s.pose === 'center' ? 0.03 : 0.03 + 0.25 * POSE_SIGN[s.pose];
    out.push({ t, hash: `h${i}`, faces: 1, yaw, descriptor: opts.face ? opts.face(t) : me });
  }
  return out;
}

test("a capture that follows the challenge passes, and the live face is the frontal frames' mean", () => {
  const v = judgeCapture(steps, frames());
  assert.ok(v.ok);
  assert.deepEqual(
    v.liveDescriptor.map((x) => Math.round(x * 1e9)),
    me.map((x) => Math.round(x * 1e9)),
  );
  assert.equal(v.frames, 82);
});

test('a flat picture (no turn), turns the wrong way or a missed look-back are refused', () => {
  for (const yawAt of [
    () => 0.03,
    (_t: number, s: ChallengeStep) => (s.pose === 'center' ? 0.03 : 0.03 - 0.25 * POSE_SIGN[s.pose]),
    (_t: number, s: ChallengeStep) => (s.pose === 'center' && s.fromMs > 0 ? 0.3 : s.pose === 'center' ? 0.03 : 0.28),
  ]) {
    const v = judgeCapture(steps, frames({ yawAt }));
    assert.equal(v.ok ? 'passed' : v.code, 'challenge_not_followed');
  }
  // A turn just under the threshold is not a turn.
  const small = judgeCapture(steps, frames({ yawAt: (_t, s) => (s.pose === 'center' ? 0.03 : 0.03 + (LIVENESS.turn - 0.01) * POSE_SIGN[s.pose]) }));
  assert.equal(small.ok ? 'passed' : small.code, 'challenge_not_followed');
});

test('identical frames, another face half-way, too few frames or frames off the clock are refused', () => {
  const frozen = frames().map((f) => ({ ...f, hash: 'same' }));
  assert.equal(((v) => (v.ok ? 'passed' : v.code))(judgeCapture(steps, frozen)), 'frozen');
  assert.equal(((v) => (v.ok ? 'passed' : v.code))(judgeCapture(steps, frames({ face: (t) => (t > CAPTURE_MS / 2 ? other : me) }))), 'face_changed');
  assert.equal(((v) => (v.ok ? 'passed' : v.code))(judgeCapture(steps, frames({ count: 30 }))), 'too_few_frames');
  const shuffled = frames();
  [shuffled[5], shuffled[6]] = [shuffled[6], shuffled[5]];
  assert.equal(((v) => (v.ok ? 'passed' : v.code))(judgeCapture(steps, shuffled)), 'bad_timing');
  const twoFaces = frames().map((f, i) => (i % 3 ? f : { ...f, faces: 2, yaw: null, descriptor: null }));
  assert.equal(((v) => (v.ok ? 'passed' : v.code))(judgeCapture(steps, twoFaces)), 'several_faces');
});

test('challenges: four turns, each way at random, with looks back between, 16.5 s', () => {
  const orders = new Set<string>();
  for (let i = 0; i < 200; i++)
    orders.add(
      newChallenge()
        .filter((s) => s.pose !== 'center')
        .map((s) => s.pose[0])
        .join(''),
    );
  assert.equal(orders.size, 16);
  const c = newChallenge();
  assert.equal(c.length, 8);
  assert.equal(c.at(-1)!.toMs, CAPTURE_MS);
  assert.equal(CAPTURE_MS, 16_500);
});
