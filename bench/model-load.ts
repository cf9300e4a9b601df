/**
 * Reading a stored model version from its blobs (what a removal does when the version is not warm
 * in its process: after a restart, or when another worker released it), stage by stage, on a
 * newton-certified model of the journey bench's shape (random contents: only the sizes matter):
 *   earlier: each blob read into a Buffer and hashed, every file hashed again by the decoder and
 *            copied into shared memory, the rows cache listed on this thread (the path before
 *            40224c3, rebuilt here from the same functions);
 *   now:     loadModelFiles (each plain blob read straight into shared memory, hashed once), then
 *            the rows cache listed on the class workers, as a removal does.
 * Each is run --reps times, alternating, and every run printed; the blobs stay in the page cache.
 * One JSON object on stdout.
 *
 *   node --import tsx bench/model-load.ts [--samples 100000] [--classes 1000] [--d 128] [--subsample 0.1] [--reps 3]
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { getBlob } from '@/lib/blobs/blob-store';
import { loadModelFiles, openStoredFile, storeModelFiles } from '@/lib/models/version-files';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { closeClassPool, runOverClasses } from '@/lib/unlearning/class-pool';
import { classKey, sampleHashes, type RowsArrays } from '@/lib/unlearning/class-rows';
import type { NewtonModel } from '@/lib/unlearning/model';
import { decodeAnyModel } from '@/lib/unlearning/model-file';
import { buildRowsCache } from '@/lib/unlearning/rows-cache';
import { toSharedU32 } from '@/lib/unlearning/shared';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '100000' },
    classes: { type: 'string', default: '1000' },
    d: { type: 'string', default: '128' },
    subsample: { type: 'string', default: '0.1' },
    reps: { type: 'string', default: '3' },
  },
});
setUpTestEnvironment();
const n = Number(values.samples);
const K = Number(values.classes);
const d = Number(values.d);
const D = d + 1;
const random64 = (length: number) => Float64Array.from({ length }, () => Math.random());
const model: NewtonModel = {
  kind: 'newton-certified',
  d,
  center: random64(d),
  params: { lambda: 1e-3, sigma: 0.01, epsilon: 1, delta: 1e-6, subsample: Number(values.subsample), subsampleSeed: 7 },
  classes: Array.from({ length: K }, (_, k) => `person-${k}`),
  weights: random64(K * D),
  noise: random64(K * D),
  noiseSource: 'secret',
  noiseSalt: crypto.randomBytes(32),
  hessians: random64(K * D * D),
  residual: random64(K * D),
  hessiansExact: true,
  gram: random64(D * D),
  ids: Array.from({ length: n }, () => crypto.randomUUID()),
  label: Int32Array.from({ length: n }, (_, i) => i % K),
  x: Float32Array.from({ length: n * D }, () => Math.random()),
};
const stored = await storeModelFiles(model, { parentSha256: null, residual: 0.1, budget: 1 });
const version = { files: stored.files, noiseSource: 'secret' as const };
const megabytes = Object.values(stored.json.files).reduce((a, e) => a + (e?.bytes ?? 0), 0) / 1e6;
const seconds = (t: number) => Number(((performance.now() - t) / 1000).toFixed(3));

async function earlier() {
  let t = performance.now();
  const bytes = new Map<string, Buffer>();
  for (const [name, sha] of Object.entries(version.files)) bytes.set(name, openStoredFile(name, await getBlob(sha), version.noiseSource));
  const read = seconds(t);
  t = performance.now();
  // Plain Buffers: the decoder hashes every file again and copies it into shared memory.
  const loaded = decodeAnyModel({ read: (name) => bytes.get(name), where: 'bench' });
  const decode = seconds(t);
  t = performance.now();
  if (loaded.model.kind !== 'newton-certified') throw new Error('expected a newton-certified model');
  const m = loaded.model;
  const input: RowsArrays = {
    label: m.label,
    hashes: toSharedU32(sampleHashes(m.ids, 7)),
    keys: toSharedU32(m.classes.map(classKey)),
    subsample: m.params.subsample,
  };
  await runOverClasses(
    'rows',
    input,
    m.classes.map((_, k) => k),
    { threads: 1 },
  );
  return { read, decode, rowsCache: seconds(t), total: Number((read + decode + seconds(t)).toFixed(3)) };
}

async function now() {
  let t = performance.now();
  const loaded = await loadModelFiles(version);
  const load = seconds(t);
  t = performance.now();
  if (loaded.model.kind !== 'newton-certified') throw new Error('expected a newton-certified model');
  await buildRowsCache(loaded.model);
  const rowsCache = seconds(t);
  return { load, rowsCacheOnWorkers: rowsCache, total: Number((load + rowsCache).toFixed(3)) };
}

const runs: { earlier: Awaited<ReturnType<typeof earlier>>; now: Awaited<ReturnType<typeof now>> }[] = [];
await buildRowsCache(model); // starts the class workers, as a job runner's first removal or training has
for (let r = 0; r < Number(values.reps); r++) {
  const e = await earlier();
  const w = await now();
  runs.push({ earlier: e, now: w });
  console.error(JSON.stringify(runs.at(-1)));
}
await closeClassPool();
console.log(JSON.stringify({ samples: n, classes: K, d, subsample: Number(values.subsample), megabytes: Number(megabytes.toFixed(1)), runs }, null, 1));
