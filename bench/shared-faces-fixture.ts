/**
 * Writes lib/matcher/fixtures/shared-faces.{json,i16}: the face engine's descriptors of the shared
 * corpora (../shared/data/faces), for tests that must build a registry of real faces without the
 * corpora (a fresh CI machine has no ../shared, and embedding thousands of photos takes minutes).
 *
 * Held: every lfw-train, lfw-train-extra and AT&T photo's main face, the fold-B lfw-strangers (fold A
 * is the product's cohort, lib/matcher/cohort.f32, so it is left out), and, for the two people with
 * the most photos (Colin Powell, 189 in lfw-train; Tony Blair, 115), four variants of each of their
 * lfw-train photos (mirrored, cropped to the central 90 % and 80 %, mirrored and cropped): no shared
 * corpus has a person with 500 photos, which a training set's label can hold, so these two labels are
 * made of 945 and 575 descriptors of their real photos. Descriptors are stored as int16 (value ×
 * 32768, clamped; descriptor components lie within ±0.5, so a distance moves by at most 2e-4).
 *
 *   node --import tsx bench/shared-faces-fixture.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { ThreadPool } from '@/lib/jobs/thread-pool';
import type { EmbedResult } from '@/lib/faces/embed-image';
import { foldOf } from './cohort-folds';
import { corpusAvailable, embedCorpus, FACES_DIR, listCorpus, mainFace } from './face-corpus';

if (!corpusAvailable()) {
  console.log('shared-faces-fixture: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const OUT = path.join('lib', 'matcher', 'fixtures');
const LARGE = ['Colin_Powell', 'Tony_Blair'];
const VARIANTS: Record<string, (img: Sharp, size: number) => Sharp> = {
  mirror: (img) => img.flop(),
  crop90: (img, size) => centre(img, size, 0.9),
  crop80: (img, size) => centre(img, size, 0.8),
  'mirror-crop90': (img, size) => centre(img.flop(), size, 0.9),
};
function centre(img: Sharp, size: number, share: number): Sharp {
  const side = Math.round(size * share);
  const at = Math.round((size - side) / 2);
  return img.extract({ left: at, top: at, width: side, height: side }).resize(size, size);
}

type Entry = { corpus: string; person: string; file: string; variant: string };
const entries: Entry[] = [];
const descriptors: number[][] = [];
const t0 = performance.now();
for (const corpus of ['lfw-train', 'lfw-train-extra', 'att_faces', 'lfw-strangers']) {
  for (const e of (await embedCorpus(corpus, 2)).entries) {
    const d = mainFace(e);
    if (!d || foldOf(e) === 'A') continue;
    entries.push({ corpus, person: e.person, file: path.basename(e.file), variant: '' });
    descriptors.push(d);
  }
}
const pool = new ThreadPool(2);
try {
  const jobs = listCorpus('lfw-train')
    .filter((x) => LARGE.includes(x.person))
    .flatMap((x) => Object.keys(VARIANTS).map((variant) => ({ ...x, variant })));
  const done = await Promise.all(
    jobs.map(async (j) => {
      const bytes = await VARIANTS[j.variant](sharp(j.file), 250).jpeg({ quality: 95 }).toBuffer();
      const r = await pool.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(bytes) });
      const d = r.ok ? mainFace({ corpus: 'lfw-train', faces: r.faces }) : null;
      return { j, d };
    }),
  );
  for (const { j, d } of done) {
    if (!d) continue;
    entries.push({ corpus: 'lfw-train', person: j.person, file: path.basename(j.file), variant: j.variant });
    descriptors.push(d);
  }
} finally {
  await pool.close();
}
const packed = new Int16Array(descriptors.length * 128);
descriptors.forEach((d, i) => d.forEach((v, k) => (packed[i * 128 + k] = Math.max(-32768, Math.min(32767, Math.round(v * 32768))))));
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'shared-faces.i16'), Buffer.from(packed.buffer));
const source = `bench/shared-faces-fixture.ts on ${path.relative(process.cwd(), FACES_DIR)}`;
const columns = ['corpus', 'person', 'file', 'variant'] as const;
// One photo a line, so that a regenerated fixture diffs by photo.
const head = JSON.stringify({ source, scale: 32768, dimensions: 128, columns }).slice(0, -1);
const rows = entries.map((e) => JSON.stringify(columns.map((c) => e[c]))).join(',\n');
fs.writeFileSync(path.join(OUT, 'shared-faces.json'), `${head},"rows":[\n${rows}\n]}\n`);
console.log(JSON.stringify({ faces: entries.length, variants: entries.filter((e) => e.variant).length, seconds: Math.round((performance.now() - t0) / 1000) }));
