/**
 * Face engine throughput on the 250×250 LFW photos: images per second (decode, detection with the
 * padded retries, landmarks, chip + mirror descriptors) with 1 and 2 worker threads, after warm-up.
 *
 * Hosts here differ (7.3 to 21.4 images/s on 2 threads, measured), so it also times, on one thread, the reference point: the plain
 * pipeline (SSD-MobileNet, landmarks, one descriptor), "about 8 images/s on 2 cores" where the
 * target was set (12 against 8: 1.5 times the plain pipeline). `perPlain` is the engine's speed on
 * one thread in units of the plain pipeline's on one thread of the same host.
 *
 *   node --import tsx bench/face-throughput.ts [--images 300] [--plain 60]
 */
import { PASSES } from '@/lib/faces/detect-faces';
import { decodeImage } from '@/lib/faces/decode-image';
import { faceApi, tfOf } from '@/lib/faces/face-api';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ThreadPool } from '@/lib/jobs/thread-pool';
import type { EmbedResult } from '@/lib/faces/embed-image';
import type * as FaceApi from '@vladmandic/face-api';
import { corpusAvailable, listCorpus } from './face-corpus';

const { values } = parseArgs({ options: { images: { type: 'string', default: '300' }, plain: { type: 'string', default: '60' } } });
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

/** The plain pipeline on this thread: SSD-MobileNet at its defaults, landmarks, one descriptor per face. */
async function plainPerSecond(images: Buffer[]): Promise<number> {
  const api = await faceApi();
  const tf = tfOf(api);
  const once = async (bytes: Buffer) => {
    const img = await decodeImage(bytes);
    const input = tf.tensor3d(new Int32Array(img.rgb), [img.height, img.width, 3], 'int32');
    try {
      await api
        .detectAllFaces(input as unknown as FaceApi.tf.Tensor3D, new api.SsdMobilenetv1Options())
        .withFaceLandmarks()
        .withFaceDescriptors();
    } finally {
      input.dispose();
    }
  };
  await once(images[0]);
  const started = performance.now();
  for (const b of images) await once(b);
  return images.length / ((performance.now() - started) / 1000);
}
const plainImages = files.slice(0, Number(values.plain));
const plain = await plainPerSecond(plainImages);
const engine1 = (out.threads1 as { imagesPerSecond: number }).imagesPerSecond;
out.plainSsdPipeline = { images: plainImages.length, threads1: { imagesPerSecond: Math.round(plain * 100) / 100 } };
out.perPlain = Math.round((engine1 / plain) * 100) / 100;
console.log(JSON.stringify(out, null, 2));
