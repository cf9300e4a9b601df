import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ChallengeStep } from '@/lib/liveness/challenge';
import { yawOf } from '@/lib/liveness/head-pose';
import { embedImage } from '@/lib/faces/embed-image';
import type { CapturedFrame } from '@/lib/liveness/observe-frames';

/**
 * Tests, benches and the e2e suite: live captures built from still portraits of one person at
 * small head turns (AT&T's), the way a camera would deliver them. Each frame puts the portrait
 * for the pose the schedule asks at that moment, at twice its size, on a 320×240 grey frame, with
 * a small random shift and sensor-like noise, so that no two frames are the same picture.
 */
export const FRAME = { width: 320, height: 240 } as const;
const SCALE = 2;

export type Pose = ChallengeStep['pose'];
/** A person's portraits by pose, as the server's own yaw measure sorts them. */
export type PoseLibrary = Record<Pose, Buffer[]>;

/** Sorts portraits by measured yaw, relative to the person's most frontal ones: within ±0.05 frontal, beyond ±0.15 turned. */
export async function poseLibrary(portraits: Buffer[]): Promise<PoseLibrary> {
  const measured: { bytes: Buffer; yaw: number }[] = [];
  for (const bytes of portraits) {
    const r = await embedImage(bytes);
    if (r.ok && r.faces.length === 1) measured.push({ bytes, yaw: yawOf(r.faces[0].landmarks) });
  }
  const sorted = [...measured].sort((a, b) => Math.abs(a.yaw) - Math.abs(b.yaw));
  const base = sorted.length ? sorted[0].yaw : 0;
  return {
    center: measured.filter((m) => Math.abs(m.yaw - base) <= 0.05).map((m) => m.bytes),
    left: measured.filter((m) => m.yaw - base >= 0.15).map((m) => m.bytes),
    right: measured.filter((m) => base - m.yaw >= 0.15).map((m) => m.bytes),
  };
}

export function attPortraits(dir: string): Buffer[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((f) => fs.readFileSync(path.join(dir, f)));
}

/** A deterministic pseudo-random source (mulberry32): the same seed gives the same video. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Grey = { data: Uint8Array; width: number; height: number };
const cache = new WeakMap<Buffer, Promise<Grey>>();

function greyOf(portrait: Buffer): Promise<Grey> {
  let g = cache.get(portrait);
  if (!g) {
    g = sharp(portrait)
      .greyscale()
      .metadata()
      .then(async (m) => {
        const width = Math.round((m.width ?? 92) * SCALE);
        const height = Math.round((m.height ?? 112) * SCALE);
        const data = await sharp(portrait).greyscale().resize(width, height).raw().toBuffer();
        return { data: new Uint8Array(data), width, height };
      });
    cache.set(portrait, g);
  }
  return g;
}

/** One camera frame (8-bit grey, FRAME-sized) showing `portrait`, shifted and noisy. */
export async function cameraFrame(portrait: Buffer, random: () => number, opts: { noise?: number; transform?: (g: Grey) => Grey } = {}): Promise<Uint8Array> {
  let g = await greyOf(portrait);
  if (opts.transform) g = opts.transform(g);
  const out = new Uint8Array(FRAME.width * FRAME.height).fill(110);
  const dx = Math.round((FRAME.width - g.width) / 2 + (random() * 6 - 3));
  const dy = Math.round((FRAME.height - g.height) / 2 + (random() * 6 - 3));
  for (let y = 0; y < g.height; y++) {
    const oy = y + dy;
    if (oy < 0 || oy >= FRAME.height) continue;
    for (let x = 0; x < g.width; x++) {
      const ox = x + dx;
      if (ox >= 0 && ox < FRAME.width) out[oy * FRAME.width + ox] = g.data[y * g.width + x];
    }
  }
  const noise = opts.noise ?? 4;
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, out[i] + Math.round((random() + random() + random() - 1.5) * noise * 2)));
  return out;
}

/** The pose the schedule asks for at `t` ms (the last step's pose after the end). */
export function poseAt(steps: readonly ChallengeStep[], t: number): Pose {
  return (steps.find((s) => t >= s.fromMs && t < s.toMs) ?? steps[steps.length - 1]).pose;
}

/**
 * The frames a page would send for `steps`: `fps` per second over the schedule, each showing the
 * portrait of the pose asked at that moment (`follow` false: the poses of `instead` at the same
 * times, as a video made for another challenge would).
 */
export async function captureFrames(
  library: PoseLibrary,
  steps: readonly ChallengeStep[],
  opts: { fps?: number; seed?: number; poseFor?: (t: number) => Pose; transform?: (g: Grey) => Grey } = {},
): Promise<CapturedFrame[]> {
  const fps = opts.fps ?? 5;
  const random = seeded(opts.seed ?? 1);
  const end = steps[steps.length - 1].toMs;
  const frames: CapturedFrame[] = [];
  for (let i = 0, t = 0; t < end; i++, t = Math.round((i * 1000) / fps)) {
    const pose = opts.poseFor ? opts.poseFor(t) : poseAt(steps, t);
    const options = library[pose];
    const portrait = options[i % options.length];
    const grey = await cameraFrame(portrait, random, { transform: opts.transform });
    const bytes = await sharp(Buffer.from(grey), { raw: { width: FRAME.width, height: FRAME.height, channels: 1 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    frames.push({ bytes, t });
  }
  return frames;
}

/**
 * A YUV4MPEG2 video (grey: U and V at 128) for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`), following `steps` after `leadMs` of the frontal pose.
 */
export async function challengeVideo(
  library: PoseLibrary,
  steps: readonly ChallengeStep[],
  opts: { fps?: number; leadMs?: number; tailMs?: number; seed?: number } = {},
): Promise<Buffer> {
  const fps = opts.fps ?? 10;
  const lead = opts.leadMs ?? 0;
  const total = lead + steps[steps.length - 1].toMs + (opts.tailMs ?? 4000);
  const random = seeded(opts.seed ?? 7);
  const chroma = Buffer.alloc((FRAME.width / 2) * (FRAME.height / 2) * 2, 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${FRAME.width} H${FRAME.height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; (i * 1000) / fps < total; i++) {
    const t = (i * 1000) / fps - lead;
    const pose = t < 0 ? 'center' : poseAt(steps, t);
    const options = library[pose];
    parts.push(Buffer.from('FRAME\n'), Buffer.from(await cameraFrame(options[i % options.length], random)), chroma);
  }
  return Buffer.concat(parts);
}
