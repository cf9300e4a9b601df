import crypto from 'node:crypto';
import type { EmbedResult } from '@/lib/faces/embed-image';
import { getThreadPool } from '@/lib/jobs/thread-pool';
import type { FrameObservation } from './judge-capture';
import { yawOf } from './head-pose';

export type CapturedFrame = { bytes: Buffer; t: number };

/**
 * Finds the faces, their landmarks and descriptors in every frame of a capture, on the worker
 * threads (the same face engine as reference photos). The frames are only held in memory here:
 * what comes out is each frame's hash, face count, yaw and descriptor.
 */
export async function observeFrames(frames: readonly CapturedFrame[]): Promise<FrameObservation[]> {
  const pool = getThreadPool();
  return Promise.all(
    frames.map(async ({ bytes, t }) => {
      const hash = crypto.createHash('sha256').update(bytes).digest('hex');
      const result = await pool.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(bytes) });
      if (!result.ok) return { t, hash, faces: 0, yaw: null, descriptor: null };
      const [face] = result.faces;
      const one = result.faces.length === 1;
      return { t, hash, faces: result.faces.length, yaw: one ? yawOf(face.landmarks) : null, descriptor: one ? face.descriptor : null };
    }),
  );
}
