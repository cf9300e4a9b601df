import fs from 'node:fs';
import path from 'node:path';

/** One photo's main face in the shared corpora, as bench/shared-faces-fixture.ts embedded it. */
export type SharedFace = { corpus: string; person: string; file: string; variant: string; descriptor: number[] };

type Index = { source: string; scale: number; dimensions: number; columns: string[]; rows: string[][] };

/**
 * Tests only: the committed descriptors of the shared face corpora (lib/matcher/fixtures, written by
 * bench/shared-faces-fixture.ts), so that a test can build a registry of real faces on a machine
 * without ../shared/data/faces.
 */
export function sharedFaces(): SharedFace[] {
  const dir = path.resolve('lib', 'matcher', 'fixtures');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'shared-faces.json'), 'utf8')) as Index;
  const bytes = fs.readFileSync(path.join(dir, 'shared-faces.i16'));
  const packed = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const d = index.dimensions;
  if (packed.length !== index.rows.length * d) throw new Error(`shared-faces: ${packed.length} values for ${index.rows.length} faces`);
  return index.rows.map(([corpus, person, file, variant], i) => ({
    corpus,
    person,
    file,
    variant,
    descriptor: Array.from(packed.subarray(i * d, (i + 1) * d), (v) => v / index.scale),
  }));
}
