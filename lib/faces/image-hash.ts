import sharp from 'sharp';
import type { DecodedImage } from './decode-image';
import type { DetectedFace } from './detect-faces';

/**
 * Perceptual hashes that recognise a copy of a picture after it was re-encoded, resized, converted,
 * brightened, mirrored or cropped around the face (lib/datasets/removed-copies.ts refuses copies of
 * removed images with them). A hash is the DCT hash of a 32 × 32 greyscale picture: the 63 lowest
 * frequencies but the mean, each one bit (above their median or not), as 64 bits with bit 0 clear.
 * Two are kept for each image: the whole picture's, and for each face the region framed by its
 * eyes and mouth (landmarks), which a crop, a border or a resize around the face leaves the same.
 * Each comes with its mirror image's hash, so that a flipped copy compares with the original.
 *
 * Measured on lfw-train (bench/near-copies.ts): among pairs of distinct photos of different
 * people none came within the thresholds of lib/datasets/removed-copies.ts once their faces'
 * descriptors are also required to be near; copies of every kind listed above did, at the rates
 * bench/README.md gives.
 */
const N = 32;
const COS = (() => {
  const c = new Float64Array(N * N);
  for (let k = 0; k < N; k++) for (let n = 0; n < N; n++) c[k * N + n] = Math.cos((Math.PI / N) * (n + 0.5) * k);
  return c;
})();

/** The DCT hash of a 32 × 32 greyscale picture (row-major bytes). */
export function dctHash(grey: Uint8Array): bigint {
  if (grey.length !== N * N) throw new Error(`dctHash takes ${N * N} bytes, not ${grey.length}`);
  // The 8 lowest vertical frequencies of every column, then the 8 lowest horizontal ones of those.
  const cols = new Float64Array(8 * N);
  for (let k = 0; k < 8; k++)
    for (let x = 0; x < N; x++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += COS[k * N + y] * grey[y * N + x];
      cols[k * N + x] = s;
    }
  const co = new Float64Array(64);
  for (let k = 0; k < 8; k++)
    for (let l = 0; l < 8; l++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += COS[l * N + x] * cols[k * N + x];
      co[k * 8 + l] = s;
    }
  const median = co.slice(1).sort()[31];
  let h = 0n;
  for (let i = 1; i < 64; i++) if (co[i] > median) h |= 1n << BigInt(i);
  return h;
}

/** How many of two hashes' 64 bits differ. */
export function hammingDistance(a: bigint, b: bigint): number {
  let x = BigInt.asUintN(64, a ^ b);
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** A hash and its mirror image's. */
export type HashPair = { hash: bigint; mirrored: bigint };

async function hashPair(img: DecodedImage, region?: { left: number; top: number; width: number; height: number }): Promise<HashPair> {
  let p = sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } });
  if (region) p = p.extract(region);
  const grey = await p.greyscale().resize(N, N, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer();
  const mirrored = new Uint8Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) mirrored[y * N + x] = grey[y * N + N - 1 - x];
  return { hash: dctHash(grey), mirrored: dctHash(mirrored) };
}

function mean(points: [number, number][], from: number, to: number): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) [x, y] = [x + points[i][0], y + points[i][1]];
  return [x / (to - from + 1), y / (to - from + 1)];
}

/**
 * The square around a face that its eyes and mouth frame (68-point landmarks: eyes 36-47, mouth
 * 48-67), 2.2 times the distance from between the eyes to the mouth, in the decoded image's
 * pixels, clipped to the image; null when it would be smaller than 8 pixels.
 */
export function faceHashRegion(img: DecodedImage, face: DetectedFace): { left: number; top: number; width: number; height: number } | null {
  const eyes = [mean(face.landmarks, 36, 41), mean(face.landmarks, 42, 47)];
  const between = [(eyes[0][0] + eyes[1][0]) / 2, (eyes[0][1] + eyes[1][1]) / 2];
  const mouth = mean(face.landmarks, 48, 67);
  const side = (2.2 * Math.hypot(mouth[0] - between[0], mouth[1] - between[1])) / img.scale;
  const cx = (between[0] + mouth[0]) / 2 / img.scale;
  const cy = (between[1] + mouth[1]) / 2 / img.scale;
  const left = Math.max(0, Math.round(cx - side / 2));
  const top = Math.max(0, Math.round(cy - side / 2));
  const width = Math.min(img.width - left, Math.round(side));
  const height = Math.min(img.height - top, Math.round(side));
  return width >= 8 && height >= 8 ? { left, top, width, height } : null;
}

/** The whole image's hashes and each face's (null for a face too small to frame). */
export async function imageHashes(img: DecodedImage, faces: DetectedFace[]): Promise<{ image: HashPair; faces: (HashPair | null)[] }> {
  const image = await hashPair(img);
  const out: (HashPair | null)[] = [];
  for (const f of faces) {
    const region = faceHashRegion(img, f);
    out.push(region ? await hashPair(img, region) : null);
  }
  return { image, faces: out };
}
