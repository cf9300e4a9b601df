/**
 * How well the ingest's test for copies of removed images (lib/datasets/removed-copies.ts, hashes
 * of lib/faces/image-hash.ts) tells a copy from another photo, on lfw-train (real photos, the
 * product's own decoding, detection and hashes):
 *   - every pair of distinct photos (of one person, of two people) as if one had been removed and
 *     the other uploaded: how many the test would refuse (by hashes alone, and with the descriptor
 *     check the product adds);
 *   - copies of a sample of photos, made the ways an archive is re-processed (re-encoded, resized,
 *     converted, brightened, mirrored, cropped, bordered, turned): how many it catches.
 * Also the cost of the hashes per image beside decoding and detection. Skips when the shared data is absent.
 *
 *   node --import tsx bench/near-copies.ts [--every 1] [--sample-every 14]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DESCRIPTOR_DISTANCE, hashMatch, IMAGE_BITS, probeOf, REGION_BITS, type Probe } from '@/lib/datasets/removed-copies';
import { decodeImage } from '@/lib/faces/decode-image';
import { detectFaces, type DetectedFace } from '@/lib/faces/detect-faces';
import { imageHashes, type HashPair } from '@/lib/faces/image-hash';
import { l2 } from '@/lib/matcher/probes';

const { values } = parseArgs({ options: { every: { type: 'string', default: '1' }, 'sample-every': { type: 'string', default: '14' } } });
const ROOT = path.resolve('../shared/data/faces/lfw-train');
if (!fs.existsSync(ROOT)) {
  console.log(`skipped: ${ROOT} is absent (see ../shared/data/faces/README.md)`);
  process.exit(0);
}
type Photo = { person: string; file: string };
const photos: Photo[] = [];
for (const person of fs.readdirSync(ROOT).sort())
  for (const f of fs.readdirSync(path.join(ROOT, person)).sort()) photos.push({ person, file: path.join(ROOT, person, f) });
const chosen = photos.filter((_, i) => i % Number(values.every) === 0);

type Seen = { imageHash: HashPair; faces: (Pick<DetectedFace, 'descriptor'> & { hash: HashPair | null })[]; probe: Probe };
const timing = { decodeAndDetect: 0, hashes: 0, n: 0 };
async function see(bytes: Buffer): Promise<Seen> {
  const t0 = performance.now();
  const img = await decodeImage(bytes);
  const found = await detectFaces(img);
  const t1 = performance.now();
  const h = await imageHashes(img, found);
  timing.decodeAndDetect += t1 - t0;
  timing.hashes += performance.now() - t1;
  timing.n++;
  const image = { imageHash: h.image, faces: found.map((f, i) => ({ descriptor: f.descriptor, hash: h.faces[i] })) };
  return { ...image, probe: probeOf(image) };
}

type Limits = { image: number; region: number; descriptor: number };
const PRODUCT: Limits = { image: IMAGE_BITS, region: REGION_BITS, descriptor: DESCRIPTOR_DISTANCE };
/** The product's thresholds and others around them, to show what each costs and catches. */
const GRID: Limits[] = [4, 6, 8].flatMap((image) => [6, 8, 10, 12].flatMap((region) => [0.4, 0.5, 0.6].map((descriptor) => ({ image, region, descriptor }))));
const key = (l: Limits) => `${l.image} / ${l.region} / ${l.descriptor}`;

/** Whether `upload` would be refused as a copy of `removed` under these thresholds. */
function refused(upload: Seen, removed: Seen, limits: Limits): boolean {
  for (const [k, face] of removed.faces.entries()) {
    const near = hashMatch(upload.probe, { image: removed.probe.image[0], region: removed.probe.faces[k]?.[0] ?? null }, limits);
    if (near && near.of.some((i) => l2(upload.faces[i].descriptor, face.descriptor) <= limits.descriptor)) return true;
  }
  return false;
}

const seen: Seen[] = [];
for (const p of chosen) seen.push(await see(fs.readFileSync(p.file)));
const withFace = seen.map((s, i) => ({ s, p: chosen[i] })).filter((x) => x.s.faces.length);
const pairs = new Map(GRID.map((l) => [key(l), { same: 0, different: 0 }]));
const total = { same: 0, different: 0 };
const loosest: Limits = { image: 8, region: 12, descriptor: 0.6 };
const examples: string[] = [];
for (let i = 0; i < withFace.length; i++)
  for (let j = 0; j < withFace.length; j++) {
    if (i === j) continue;
    const kind = withFace[i].p.person === withFace[j].p.person ? 'same' : 'different';
    total[kind]++;
    if (!refused(withFace[i].s, withFace[j].s, loosest)) continue;
    for (const l of GRID) if (refused(withFace[i].s, withFace[j].s, l)) pairs.get(key(l))![kind]++;
    if (kind === 'different' && refused(withFace[i].s, withFace[j].s, PRODUCT))
      examples.push(`${path.basename(withFace[i].p.file)} as a copy of ${path.basename(withFace[j].p.file)}`);
  }
console.log(`${withFace.length} photos with a face of ${chosen.length}; ordered pairs of distinct photos (upload, removed):`);
console.log(`  ${total.same} of one person, ${total.different} of two people`);
for (const e of examples) console.log(`  refused at the product's thresholds, two people: ${e}`);

const COPIES: Record<string, (b: Buffer) => Promise<Buffer>> = {
  'JPEG quality 50': (b) => sharp(b).jpeg({ quality: 50 }).toBuffer(),
  'half size': (b) => sharp(b).resize(125, 125).jpeg({ quality: 85 }).toBuffer(),
  'quarter size': (b) => sharp(b).resize(64, 64).jpeg({ quality: 85 }).toBuffer(),
  'double size': (b) => sharp(b).resize(500, 500).jpeg({ quality: 85 }).toBuffer(),
  'WebP 75': (b) => sharp(b).webp({ quality: 75 }).toBuffer(),
  'brightened 20 %': (b) => sharp(b).modulate({ brightness: 1.2 }).jpeg({ quality: 90 }).toBuffer(),
  'more contrast': (b) => sharp(b).linear(1.3, -30).jpeg({ quality: 90 }).toBuffer(),
  greyscale: (b) => sharp(b).greyscale().jpeg({ quality: 90 }).toBuffer(),
  mirrored: (b) => sharp(b).flop().jpeg({ quality: 90 }).toBuffer(),
  'cropped to 95 %': (b) => sharp(b).extract({ left: 6, top: 6, width: 238, height: 238 }).jpeg({ quality: 90 }).toBuffer(),
  'cropped to 90 %': (b) => sharp(b).extract({ left: 12, top: 12, width: 225, height: 225 }).jpeg({ quality: 90 }).toBuffer(),
  'cropped to 80 %': (b) => sharp(b).extract({ left: 25, top: 25, width: 200, height: 200 }).jpeg({ quality: 90 }).toBuffer(),
  'cropped off centre': (b) => sharp(b).extract({ left: 0, top: 20, width: 220, height: 220 }).jpeg({ quality: 90 }).toBuffer(),
  'white border': (b) => sharp(b).extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#fff' }).jpeg({ quality: 90 }).toBuffer(),
  'made wide (grey sides)': (b) => sharp(b).extend({ left: 125, right: 125, background: '#888' }).jpeg({ quality: 90 }).toBuffer(),
  'turned 3°': (b) => sharp(b).rotate(3, { background: '#000' }).resize(250, 250).jpeg({ quality: 90 }).toBuffer(),
};
const sample = withFace.filter((_, i) => i % Number(values['sample-every']) === 0);
console.log(`copies of ${sample.length} photos:`);
const caught = new Map(GRID.map((l) => [key(l), { all: 0, worst: Infinity, worstKind: '' }]));
for (const [name, make] of Object.entries(COPIES)) {
  const copies: Seen[] = [];
  for (const { p } of sample) copies.push(await see(await make(fs.readFileSync(p.file))));
  for (const l of GRID) {
    const n = copies.filter((c, i) => refused(c, sample[i].s, l)).length;
    const c = caught.get(key(l))!;
    c.all += n;
    if (n < c.worst) [c.worst, c.worstKind] = [n, name];
    if (key(l) === key(PRODUCT)) console.log(`  ${name.padEnd(24)} refused ${n} of ${sample.length} (${((100 * n) / sample.length).toFixed(1)} %)`);
  }
}
const kinds = Object.keys(COPIES).length;
console.log('thresholds (picture bits / region bits / descriptor) | pairs of one person refused | of two people | copies caught | worst kind');
for (const l of GRID) {
  const p = pairs.get(key(l))!;
  const c = caught.get(key(l))!;
  const mark = key(l) === key(PRODUCT) ? ' (the product)' : '';
  const pct = ((100 * c.all) / (kinds * sample.length)).toFixed(1);
  console.log(`  ${key(l)}${mark} | ${p.same} | ${p.different} | ${c.all} of ${kinds * sample.length} (${pct} %) | ${c.worstKind} ${c.worst}`);
}
const ms = (t: number) => (t / timing.n).toFixed(1);
console.log(`per image (${timing.n}): decoding and detection ${ms(timing.decodeAndDetect)} ms, the hashes ${ms(timing.hashes)} ms (one thread)`);
