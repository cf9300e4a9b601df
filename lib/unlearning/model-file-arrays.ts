import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UnlearningError } from './errors';
import { sharedF64, toSharedF32, toSharedF64, toSharedI32 } from './shared';
import { lowerTriangleLength, unpackLowerTriangles } from './step-matrices';

/** Reading a model's files (model-file.ts) into the engine's arrays, each file checked against its entry in model.json. */

export type FileEntry = { file: string; sha256: string; bytes: number };

/** The file name of version 4's packed step matrices (their lower triangles). */
export const PACKED_HESSIANS = 'hessians-lower.f64';

export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * Reads one of a model's files by name (undefined when it is missing); `where` names the model in
 * errors; `checkedDigest` names the sha256 a file's bytes were already checked against as they were
 * read (a blob store's content address), so they are not hashed twice.
 */
export type ModelReader = { read: (name: string) => Buffer | undefined; where: string; checkedDigest?: (name: string) => string | undefined };

/** A model directory as a reader. */
export function dirReader(dir: string): ModelReader {
  return {
    where: dir,
    read: (name) => {
      try {
        return fs.readFileSync(path.join(/*turbopackIgnore: true*/ dir, name));
      } catch {
        return undefined;
      }
    },
  };
}

export function readChecked(r: ModelReader, e: FileEntry): Buffer {
  const dir = r.where;
  const buf = r.read(e.file);
  if (!buf) throw new UnlearningError('model_corrupt', `${e.file} is missing from ${dir}`);
  if (buf.length !== e.bytes || (r.checkedDigest?.(e.file) !== e.sha256 && sha256(buf) !== e.sha256))
    throw new UnlearningError('model_corrupt', `${e.file} in ${dir} does not match its sha256 in model.json: the file was altered or truncated`);
  return buf;
}

// Loaded into shared memory, so the class workers use the arrays without copies. Bytes that were
// read into a SharedArrayBuffer of their own (version-files.ts) are used where they lie: copying
// 190 MB into fresh shared memory cost about as much again as reading it (bench/README.md).
const ownShared = (b: Buffer, width: number) =>
  b.buffer instanceof SharedArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.byteLength % width === 0 ? b.buffer : null;
export const f64 = (b: Buffer) => {
  const own = ownShared(b, 8);
  return own ? new Float64Array(own) : toSharedF64(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8));
};
/** The features, float32 (version 3) or, from an earlier version's features.f64, rounded to float32. */
export const features = (b: Buffer, e: FileEntry) => {
  if (e.file.endsWith('.f64')) return toSharedF32(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8));
  const own = ownShared(b, 4);
  return own ? new Float32Array(own) : toSharedF32(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
};
/** The step matrices: version 4's lower triangles unpacked into shared memory, or version 3's full matrices. */
export const hessians = (b: Buffer, e: FileEntry, K: number, D: number) => {
  if (e.file !== PACKED_HESSIANS) return f64(b);
  if (b.byteLength !== K * lowerTriangleLength(D) * 8)
    throw new UnlearningError('model_corrupt', `${e.file} holds ${b.byteLength} bytes, expected ${K} lower triangles of ${D} × ${D}`);
  return unpackLowerTriangles(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8), K, D, sharedF64(K * D * D));
};
export const i32 = (b: Buffer) => {
  const own = ownShared(b, 4);
  return own ? new Int32Array(own) : toSharedI32(new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4));
};

export const u8 = (b: Buffer) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
