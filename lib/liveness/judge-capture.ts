import { CAPTURE_MS, type ChallengeStep } from './challenge';
import { POSE_SIGN } from './head-pose';
import { l2 } from '@/lib/matcher/probes';

/** What the server saw in one frame of a live capture (lib/liveness/observe-frames.ts). */
export type FrameObservation = {
  /** Milliseconds from the capture's start, as the page recorded them. */
  t: number;
  /** SHA-256 of the frame's bytes. */
  hash: string;
  faces: number;
  /** The one face's yaw (head-pose.ts) and descriptor, when the frame shows exactly one face. */
  yaw: number | null;
  descriptor: number[] | null;
};

export type Verdict = { ok: true; liveDescriptor: number[]; frames: number; frontalFrames: number } | { ok: false; code: RefusalCode; message: string };

export type RefusalCode = 'too_few_frames' | 'bad_timing' | 'no_face' | 'several_faces' | 'frozen' | 'face_changed' | 'challenge_not_followed';

/**
 * The thresholds, measured on videos built from AT&T's portraits (bench/liveness.ts): a turn is
 * a yaw at least TURN from the person's own frontal yaw, held in at least HOLD_FRAMES frames of the
 * step's second part (the first part leaves time to react); a look back is a frame within
 * FRONTAL of it. Every face must be the person who faced the camera at the start: within SAME_PERSON (raw
 * descriptor distance; the matcher's threshold at a false-match rate of 1e-3 on LFW pairs is 0.537).
 */
export const LIVENESS = {
  minFrames: 40,
  maxFrames: 120,
  oneFaceShare: 0.8,
  turn: 0.12,
  frontal: 0.07,
  holdFrames: 2,
  reactShare: 0.35,
  samePerson: 0.6,
  samePersonShare: 0.9,
  frozenShare: 0.5,
} as const;

const refuse = (code: RefusalCode, message: string): Verdict => ({ ok: false, code, message });

function mean(vectors: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(vectors[0].length).fill(0);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] += v[i] / vectors.length;
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The frames of a step after the time given to react. */
function core(frames: FrameObservation[], step: ChallengeStep): FrameObservation[] {
  const from = step.fromMs + LIVENESS.reactShare * (step.toMs - step.fromMs);
  return frames.filter((f) => f.t >= from && f.t < step.toMs && f.yaw !== null);
}

/**
 * Decides whether a capture performed the challenge, by one live person: enough frames on the
 * challenge's clock, one face in nearly all of them, not a frozen picture, the same person
 * throughout, and each turn and look-back where and when it was asked. Pure: the same frames give
 * the same verdict. The live descriptor is the mean of the frontal frames' descriptors.
 */
export function judgeCapture(steps: readonly ChallengeStep[], frames: readonly FrameObservation[]): Verdict {
  const L = LIVENESS;
  if (frames.length < L.minFrames) {
    return refuse(
      'too_few_frames',
      `We received ${frames.length} pictures from your camera, fewer than the ${L.minFrames} we need. Keep the page open for the whole capture and try again.`,
    );
  }
  if (frames.length > L.maxFrames) return refuse('bad_timing', `A capture holds at most ${L.maxFrames} pictures; this one has ${frames.length}.`);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (!Number.isFinite(f.t) || f.t < 0 || f.t > CAPTURE_MS + 1000 || (i > 0 && f.t <= frames[i - 1].t)) {
      return refuse('bad_timing', "The pictures do not follow the capture's clock. Try again without switching tabs during the capture.");
    }
  }
  const sorted = [...frames];
  const several = sorted.filter((f) => f.faces > 1).length;
  const single = sorted.filter((f) => f.faces === 1 && f.yaw !== null && f.descriptor);
  if (several > sorted.length * (1 - L.oneFaceShare))
    return refuse('several_faces', 'We saw more than one face during the capture. Make sure you are alone in front of the camera.');
  if (single.length < sorted.length * L.oneFaceShare) {
    return refuse(
      'no_face',
      'We could not see your face in enough of the pictures. Face the camera in good light, with your whole face in the frame, and try again.',
    );
  }
  let same = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i].hash === sorted[i - 1].hash) same++;
  if (same >= (sorted.length - 1) * L.frozenShare)
    return refuse('frozen', 'The pictures did not change during the capture, as with a still image. Use your camera, live.');

  const first = core(single, steps[0]);
  if (first.length < 3) return refuse('no_face', 'We could not see your face while you looked at the camera at the start. Try again, facing the camera.');
  const base = median(first.map((f) => f.yaw!));
  const frontal = single.filter((f) => steps.some((s) => s.pose === 'center' && f.t >= s.fromMs && f.t < s.toMs) && Math.abs(f.yaw! - base) <= L.frontal);
  if (frontal.length < 3)
    return refuse('no_face', 'We need a few pictures of you looking straight at the camera. Try again, facing the camera between the turns.');
  // The person is who faced the camera at the start: every face must be theirs, throughout.
  const anchor = mean(first.map((f) => f.descriptor!));
  const matching = single.filter((f) => l2(f.descriptor!, anchor) <= L.samePerson).length;
  if (matching < single.length * L.samePersonShare) {
    return refuse(
      'face_changed',
      'The face in the pictures changed during the capture. Only the person in front of the camera can take part: try again alone.',
    );
  }
  const live = mean(frontal.map((f) => f.descriptor!));

  for (const [i, step] of steps.entries()) {
    if (i === 0) continue;
    const seen = core(single, step);
    const second = Math.round(step.fromMs / 100) / 10;
    if (step.pose === 'center') {
      if (!seen.some((f) => Math.abs(f.yaw! - base) <= L.frontal)) {
        return refuse(
          'challenge_not_followed',
          `We asked you to look back at the camera at ${second} s, and did not see it. Try again, following each prompt as it appears.`,
        );
      }
      continue;
    }
    const sign = POSE_SIGN[step.pose];
    const turned = seen.filter((f) => sign * (f.yaw! - base) >= L.turn).length;
    const opposite = seen.some((f) => -sign * (f.yaw! - base) >= L.turn);
    if (turned < L.holdFrames || opposite) {
      return refuse(
        'challenge_not_followed',
        `We asked you to turn your head to your ${step.pose} at ${second} s, and did not see it. Try again, following each prompt as it appears.`,
      );
    }
  }
  return { ok: true, liveDescriptor: live, frames: sorted.length, frontalFrames: frontal.length };
}
