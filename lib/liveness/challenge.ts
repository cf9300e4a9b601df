import crypto from 'node:crypto';
import type { ChallengeStep } from '@/db/schema';

export type { ChallengeStep };

/**
 * A live-capture challenge: look at the camera, then four head turns, each to the left or the
 * right at random (16 orders), with a look back at the camera between them. The schedule is fixed
 * from the capture's start, so a pre-recorded video matches only if it happens to hold the same
 * order at the same times. 16.5 s in all; the capture must reach the server within
 * CAPTURE_DEADLINE_MS of the challenge being issued.
 */
export const START_MS = 2000;
export const TURN_MS = 2500;
export const BACK_MS = 1500;
export const TURNS = 4;
export const CAPTURE_MS = START_MS + TURNS * TURN_MS + (TURNS - 1) * BACK_MS;
export const CAPTURE_DEADLINE_MS = 90_000;
/** Frames per second the page captures; the server needs at least MIN_FRAMES of them. */
export const CAPTURE_FPS = 5;

export function newChallenge(randomBit: () => number = () => crypto.randomInt(2)): ChallengeStep[] {
  const steps: ChallengeStep[] = [{ pose: 'center', fromMs: 0, toMs: START_MS }];
  let t = START_MS;
  for (let i = 0; i < TURNS; i++) {
    if (i > 0) {
      steps.push({ pose: 'center', fromMs: t, toMs: t + BACK_MS });
      t += BACK_MS;
    }
    steps.push({ pose: randomBit() ? 'left' : 'right', fromMs: t, toMs: t + TURN_MS });
    t += TURN_MS;
  }
  return steps;
}

/** What the page tells the person during a step. */
export const PROMPTS: Record<ChallengeStep['pose'], string> = {
  center: 'Look straight at the camera',
  left: 'Turn your head to your left',
  right: 'Turn your head to your right',
};
