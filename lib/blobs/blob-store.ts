import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';

/**
 * Content-addressed blob store: a blob's key is the SHA-256 of its bytes. On the filesystem under
 * <data dir>/blobs/ab/cd/<sha256>; writes go to a temporary file that is fsynced and renamed, so a
 * reader never sees a partial blob and a crash leaves at most a stray temporary file. An
 * S3-compatible store can replace it behind the same functions.
 */
const SHA256 = /^[0-9a-f]{64}$/;

export type BlobRef = { sha256: string; size: number };

function root(): string {
  return path.join(env().dataDir, 'blobs');
}

export function blobPath(sha256: string): string {
  if (!SHA256.test(sha256)) throw new AppError('bad_request', `Not a SHA-256 digest: ${JSON.stringify(sha256)}.`);
  return path.join(root(), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Stores bytes or a stream; returns their digest and size, and whether this call created the blob
 * (false when the same bytes were already stored: storing twice is a no-op).
 */
export async function putBlob(data: Uint8Array | Readable | AsyncIterable<Uint8Array>): Promise<BlobRef & { created: boolean }> {
  const tmpDir = path.join(root(), 'tmp');
  await fsp.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${process.pid}-${crypto.randomUUID()}`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  const source = data instanceof Uint8Array ? Readable.from([data]) : Readable.from(data);
  try {
    const out = fs.createWriteStream(tmp, { flags: 'wx' });
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      out,
    );
    const handle = await fsp.open(tmp, 'r');
    await handle.sync();
    await handle.close();
    const sha256 = hash.digest('hex');
    const dest = blobPath(sha256);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    const existed = await hasBlob(sha256);
    await fsp.rename(tmp, dest);
    return { sha256, size, created: !existed };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      log.error('the blob store is full', { code, dir: root() });
      throw new AppError('unavailable', "The server's storage is full, so nothing was stored. Please try again later.");
    }
    throw err;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/**
 * The bytes of a blob, checked against their digest. With `shared`, they are read straight into a
 * SharedArrayBuffer of their own (the Buffer spans all of it, from offset 0), which worker threads
 * can use without a copy: a model's arrays are hundreds of megabytes, and on this machine touching
 * fresh memory costs about as much as reading it (bench/README.md, "Loading a model").
 */
export async function getBlob(sha256: string, opts: { shared?: boolean } = {}): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = opts.shared ? await readShared(blobPath(sha256)) : await fsp.readFile(blobPath(sha256));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('blob_missing', `Blob ${sha256} is missing from the store.`);
    throw err;
  }
  if (crypto.createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new AppError('blob_corrupt', `Blob ${sha256} does not match its digest: the stored file was altered.`);
  }
  return bytes;
}

const READ_CHUNK = 4 * 1024 * 1024;

/**
 * A file read into shared memory in 4 MB pieces, all requested at once: libuv's threads fill them
 * side by side, which halved the time for 190 MB here (the time goes into first touching the
 * fresh pages, not into the disk: the files sit in the page cache).
 */
async function readShared(file: string): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    const readPiece = async (start: number, end: number) => {
      for (let at = start; at < end;) {
        const { bytesRead } = await fh.read(bytes, at, end - at, at);
        if (!bytesRead) throw new AppError('blob_corrupt', `A blob file ended at byte ${at} of ${size}: it changed while being read.`);
        at += bytesRead;
      }
    };
    const pieces: Promise<void>[] = [];
    for (let at = 0; at < size; at += READ_CHUNK) pieces.push(readPiece(at, Math.min(size, at + READ_CHUNK)));
    await Promise.all(pieces);
    return bytes;
  } finally {
    await fh.close();
  }
}

/** A stream of a blob's bytes (not re-hashed: for large downloads whose client checks the digest). */
export function blobStream(sha256: string): fs.ReadStream {
  return fs.createReadStream(blobPath(sha256));
}

export async function hasBlob(sha256: string): Promise<boolean> {
  return fsp.access(blobPath(sha256)).then(
    () => true,
    () => false,
  );
}

/** Deletes a blob (retention); deleting a missing blob is not an error. */
export async function deleteBlob(sha256: string): Promise<void> {
  await fsp.rm(blobPath(sha256), { force: true });
}

/** The name a blob takes in tmp/ while a sweep decides on it (deleteBlobUnless). */
const SWEPT = 'sweep-';

/**
 * Deletes a blob unless `wanted()`, asked once the blob has been moved out of its place, says it is
 * needed; then it is put back. A writer records a blob before it writes it (blob-writes.ts), so its
 * record is either seen by `wanted` or made after the move, and then the writer finds no blob and
 * writes its own (the same bytes, by their address). A sweep killed between the two moves leaves
 * the blob in tmp/ under a `sweep-` name, which cleanTemporaries puts back. Returns the bytes freed.
 */
export async function deleteBlobUnless(sha256: string, wanted: () => Promise<boolean>): Promise<number> {
  const file = blobPath(sha256);
  const aside = path.join(root(), 'tmp', `${SWEPT}${sha256}-${crypto.randomUUID()}`);
  await fsp.mkdir(path.dirname(aside), { recursive: true });
  try {
    await fsp.rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let keep = true;
  try {
    keep = await wanted();
  } finally {
    if (keep) await fsp.rename(aside, file);
  }
  if (keep) return 0;
  const { size } = await fsp.stat(aside);
  await fsp.rm(aside, { force: true });
  return size;
}

/**
 * The blob store's temporary directory after a crash: blobs a sweep had moved aside are put back
 * (deleteBlobUnless), and partial writes last touched before `cutoff` are deleted (putBlob removes
 * its own unless the process dies). Returns how many partial writes were deleted.
 */
export async function cleanTemporaries(cutoff: Date): Promise<number> {
  const dir = path.join(root(), 'tmp');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  let deleted = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.startsWith(SWEPT)) {
      await fsp.rename(file, blobPath(name.slice(SWEPT.length, SWEPT.length + 64)));
      continue;
    }
    const stat = await fsp.stat(file).catch(() => null);
    if (stat && stat.mtime < cutoff) {
      await fsp.rm(file, { force: true });
      deleted++;
    }
  }
  return deleted;
}
