/**
 * Which rows each class trains on. Without subsampling (r = 1) every class uses every row. With
 * r < 1 a class uses its positives and the negatives whose (seed, id, class) hash falls below r;
 * the hash depends on the sample id (or, with `subsampleByLabel`, on its label), never on its
 * position, so removing rows never changes the membership of the others (retraining on the
 * remaining data selects the same subsets).
 */
import { UnlearningError } from './errors';
import type { NewtonParams } from './model';
import { toSharedI32 } from './shared';

/** FNV-1a of a string's UTF-16 code units, its offset basis XORed with `seed`. */
function fnv1a(text: string, seed: number): number {
  let v = (0x811c9dc5 ^ seed) >>> 0;
  for (let c = 0; c < text.length; c++) v = Math.imul(v ^ text.charCodeAt(c), 0x01000193) >>> 0;
  return v;
}

export function sampleHashes(ids: string[], seed: number): Uint32Array {
  return Uint32Array.from(ids, (id) => fnv1a(id, seed));
}

/**
 * Each row's subsampling hash under the model's parameters: of its sample id, or with
 * `subsampleByLabel` of its label, so that every photo of a label falls in the same classes'
 * subsamples. `labels` are the rows' labels (class names), read only when by label.
 */
export function subsampleHashes(ids: string[], labels: (i: number) => string, p: Pick<NewtonParams, 'subsampleSeed' | 'subsampleByLabel'>): Uint32Array {
  if (!p.subsampleByLabel) return sampleHashes(ids, p.subsampleSeed);
  const byLabel = new Map<string, number>();
  const h = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const label = labels(i);
    let v = byLabel.get(label);
    if (v === undefined) byLabel.set(label, (v = fnv1a(label, p.subsampleSeed)));
    h[i] = v;
  }
  return h;
}

/** A model's rows' subsampling hashes (subsampleHashes); every row must have a class. */
export function modelHashes(m: { ids: string[]; label: Int32Array; classes: string[]; params: NewtonParams }): Uint32Array {
  return subsampleHashes(m.ids, (i) => labelOf(m, i), m.params);
}

function labelOf(m: { ids: string[]; label: Int32Array; classes: string[] }, i: number): string {
  const label = m.classes[m.label[i]];
  if (label === undefined) throw new UnlearningError('bad_params', `row ${i} (${m.ids[i]}) has no class to draw its subsample by`);
  return label;
}

/** A class's key for subsampling: a hash of its label, so dropping other classes never changes it. */
export function classKey(label: string): number {
  return fnv1a(label, 0);
}

/** About how many rows a class trains on: its own (n / K on average) and the subsampled share r of the rest. */
export function expectedRowsPerClass(n: number, K: number, r: number): number {
  return n * Math.min(1, r + 1 / K);
}

/** True when a negative sample (hash h) belongs to the subsample, at rate r, of the class with key `key`. */
export function inSubsample(h: number, key: number, r: number): boolean {
  if (r >= 1) return true;
  let v = Math.imul(h ^ Math.imul(key | 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
  v = Math.imul(v ^ (v >>> 13), 0xc2b2ae35) >>> 0;
  v = (v ^ (v >>> 16)) >>> 0;
  return v < r * 4294967296;
}

export function classRows(label: Int32Array, hashes: Uint32Array, k: number, key: number, r: number, all?: Int32Array): Int32Array {
  if (r >= 1 && all) return all;
  const out = new Int32Array(label.length);
  let n = 0;
  for (let i = 0; i < label.length; i++) if (label[i] === k || inSubsample(hashes[i], key, r)) out[n++] = i;
  return out.slice(0, n);
}

export function allRows(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** What the class workers need to list classes' rows (rowsTask). */
export type RowsArrays = { label: Int32Array; hashes: Uint32Array; keys: Uint32Array; subsample: number };

/** Classes' rows, each in shared memory of its own (so that posting them back to the caller copies nothing). */
export function rowsTask(a: RowsArrays, ks: number[]): Int32Array[] {
  return ks.map((k) => toSharedI32(classRows(a.label, a.hashes, k, a.keys[k], a.subsample)));
}

/** A class's rows after a removal: the kept rows, renumbered (newIndex[i] = −1 for removed rows), in shared memory. */
export function remapRows(rows: Int32Array, newIndex: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  let n = 0;
  for (let r = 0; r < rows.length; r++) {
    const j = newIndex[rows[r]];
    if (j >= 0) out[n++] = j;
  }
  return toSharedI32(out.subarray(0, n));
}
