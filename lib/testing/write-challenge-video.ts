/**
 * Writes the fake-camera video (YUV4MPEG2) of an AT&T subject performing a live-capture challenge,
 * for Chromium's `--use-file-for-fake-video-capture` in the e2e suite (run as a child process so
 * that the Playwright runner does not load the face engine):
 *
 *   node --import tsx lib/testing/write-challenge-video.ts SUBJECT_DIR STEPS_JSON OUT.y4m [LEAD_MS] [SEED] [FPS]
 */
import fs from 'node:fs';
import type { ChallengeStep } from '@/lib/liveness/challenge';
import { attPortraits, challengeVideo, poseLibrary } from './live-capture-video';

const [dir, stepsJson, out, lead, seed, fps] = process.argv.slice(2);
if (!dir || !stepsJson || !out) throw new Error('usage: write-challenge-video.ts SUBJECT_DIR STEPS_JSON OUT.y4m [LEAD_MS] [SEED] [FPS]');
const steps = JSON.parse(stepsJson) as ChallengeStep[];
const library = await poseLibrary(attPortraits(dir));
fs.writeFileSync(out, await challengeVideo(library, steps, { leadMs: Number(lead ?? 0), seed: Number(seed ?? 7), fps: fps ? Number(fps) : undefined }));
process.exit(0);
