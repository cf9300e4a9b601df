/**
 * Face engine throughput on the 250×250 LFW photos: images per second (decode, detection with the
 * padded retries, landmarks, chip + mirror descriptors) with 1 and 2 worker threads, after warm-up.
 *
 *   node --import tsx bench/face-throughput.ts [--images 300]
 */
import { PASSES } from '@/lib/faces/detect-faces';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ThreadPool } from '@/lib/jobs/thread-pool';
import type { EmbedResult } from '@/lib/faces/embed-image';
import { corpusAvailable, listCorpus } from './face-corpus';

const { values } = parseArgs({ options: { images: { type: 'string', default: '300' } } });
if (!corpusAvailable()) {
  console.log('face-throughput: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const files = listCorpus('lfw-train')
  .filter((_, i) => i % 7 === 0)
  .slice(0, Number(values.images))
  .map((f) => fs.readFileSync(f.file));
const out: Record<string, unknown> = { images: files.length };
for (const threads of [1, 2]) {
  const pool = new ThreadPool(threads);
  await Promise.all(Array.from({ length: threads }, () => pool.run('faces.embed', { bytes: new Uint8Array(files[0]) })));
  const started = performance.now();
  const results = await Promise.all(files.map((b) => pool.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(b) })));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  out[`threads${threads}`] = {
    seconds: Math.round(seconds * 100) / 100,
    imagesPerSecond: Math.round((files.length / seconds) * 100) / 100,
    noFace: results.filter((r) => r.ok && r.faces.length === 0).length,
    byPass: PASSES.map((_, p) => results.filter((r) => r.ok && r.faces.length && Math.min(...r.faces.map((f) => f.pass)) === p).length),
  };
}
console.log(JSON.stringify(out, null, 2));
