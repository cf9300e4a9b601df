import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { IMAGE_BITS, REGION_BITS } from '@/lib/datasets/removed-copies';
import { decodeImage } from './decode-image';
import { detectFaces } from './detect-faces';
import { hammingDistance, imageHashes } from './image-hash';

const fixture = (f: string) => fs.readFileSync(path.join('lib/faces/fixtures', f));

async function hashes(bytes: Buffer) {
  const img = await decodeImage(bytes);
  return imageHashes(img, await detectFaces(img));
}

test('hamming distance: known answers', () => {
  assert.equal(hammingDistance(0n, 0n), 0);
  assert.equal(hammingDistance(0b1011n, 0n), 3);
  // As PostgreSQL's signed bigint stores them: -1 is all 64 bits.
  assert.equal(hammingDistance(-1n, 0n), 64);
  assert.equal(hammingDistance(BigInt.asIntN(64, 0xdcd618fc4968a586n), 0xdcd618fc4968a586n), 0);
});

test("a photo's hashes: recorded values, stable under re-encoding and mirroring, far from another person's", async () => {
  const gul = await hashes(fixture('Abdullah_Gul_0001.jpg'));
  // Recorded with sharp 0.35 and this decoder: a change of more than a few bits means hashes
  // stored by an earlier version no longer compare with new ones (copies would be missed).
  assert.ok(hammingDistance(gul.image.hash, 0xdcd618fc4968a586n) <= 2, gul.image.hash.toString(16));
  assert.equal(gul.faces.length, 1);
  assert.ok(hammingDistance(gul.faces[0]!.hash, 0x069c8169c778f13en) <= 2, gul.faces[0]!.hash.toString(16));
  assert.equal((await hashes(fixture('Abdullah_Gul_0001.jpg'))).image.hash, gul.image.hash);

  const reencoded = await hashes(await sharp(fixture('Abdullah_Gul_0001.jpg')).resize(160, 160).jpeg({ quality: 50 }).toBuffer());
  assert.ok(hammingDistance(reencoded.image.hash, gul.image.hash) <= IMAGE_BITS);
  assert.ok(hammingDistance(reencoded.faces[0]!.hash, gul.faces[0]!.hash) <= REGION_BITS);
  // A mirrored copy's hash is near the original's mirror hash, and the other way round.
  const mirrored = await hashes(await sharp(fixture('Abdullah_Gul_0001.jpg')).flop().jpeg({ quality: 90 }).toBuffer());
  assert.ok(hammingDistance(mirrored.image.hash, gul.image.mirrored) <= IMAGE_BITS);
  assert.ok(hammingDistance(mirrored.faces[0]!.mirrored, gul.faces[0]!.hash) <= REGION_BITS);

  const brody = await hashes(fixture('Adrien_Brody_0001.jpg'));
  assert.ok(hammingDistance(brody.image.hash, gul.image.hash) > 3 * IMAGE_BITS);
  assert.ok(hammingDistance(brody.faces[0]!.hash, gul.faces[0]!.hash) > 2 * REGION_BITS);
});
