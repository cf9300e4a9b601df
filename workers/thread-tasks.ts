/**
 * The CPU-heavy functions that run on worker threads, by name. Each returns its result and the
 * buffers to transfer (not copy) back.
 */
import type { Transferable } from 'node:worker_threads';

export type ThreadTask = (input: never) => Promise<{ result: unknown; transfer?: Transferable[] }>;

export const TASKS: Record<string, ThreadTask> = {
  /** Decode an image and find every face with its descriptor (face-api on wasm, warm per thread). */
  'faces.embed': async ({ bytes, thumbnails, hashes }: { bytes: Uint8Array; thumbnails?: boolean; hashes?: boolean }) => {
    const { embedImage } = await import('@/lib/faces/embed-image');
    const result = await embedImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { thumbnails, hashes });
    const transfer = result.ok ? result.faces.flatMap((f) => (f.thumbnail ? [f.thumbnail.buffer as ArrayBuffer] : [])) : [];
    return { result, transfer };
  },
  /** Counts the primes below n by trial division: a deterministic CPU load for pool tests and benchmarks. */
  'selftest.count-primes': async ({ n }: { n: number }) => {
    let count = 0;
    for (let i = 2; i < n; i++) {
      let prime = true;
      for (let d = 2; d * d <= i; d++) {
        if (i % d === 0) {
          prime = false;
          break;
        }
      }
      if (prime) count++;
    }
    return { result: count };
  },
  'selftest.fail': async ({ message }: { message: string }) => {
    throw Object.assign(new Error(message), { code: 'bad_request' });
  },
  'selftest.crash': async () => {
    process.exit(3);
  },
};
