import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { putBlob, type BlobRef } from '@/lib/blobs/blob-store';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { MAX_BYTES } from '@/lib/faces/decode-image';
import { collect, readMultipart } from '@/lib/http/read-multipart';
import { MAX_MANIFEST_ROWS, parseManifest, type ManifestRow } from './manifest';
import { readArchive } from './read-archive';

/** A manifest of MAX_MANIFEST_ROWS lines of the longest values fits. */
const MANIFEST_BYTES = 16 * 2 ** 20;

export type ReadUpload = {
  rows: ManifestRow[];
  files: Map<string, BlobRef>;
  /** Blobs this upload created, for clean-up if it is refused. */ created: string[];
};

/** Counts a part's bytes and fails the read past `max`. */
function capped(stream: Readable, max: number, what: string): Readable {
  let n = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb(n > max ? new AppError('payload_too_large', `${what} is larger than ${Math.round(max / 2 ** 20)} MB, the limit for it.`) : null, chunk);
    },
  });
  stream.on('error', (err) => cap.destroy(err));
  return stream.pipe(cap);
}

/**
 * Reads an upload request (multipart/form-data: `manifest`, and `archive` or `files`) as a stream,
 * with every limit enforced while reading: the body (`maxBytes`, chunked or not), each image
 * (20 MB), the manifest (16 MB). Images go straight to the blob store and an archive to a
 * temporary file, so memory stays flat whatever the size. On any refusal the blobs this upload
 * created are deleted again (discardBlobs).
 */
export async function readUpload(request: Request, maxBytes: number, discardBlobs: (shas: string[]) => Promise<void>): Promise<ReadUpload> {
  const created: string[] = [];
  const files = new Map<string, BlobRef>();
  const spool = path.join(env().dataDir, 'tmp', `upload-${crypto.randomUUID()}.zip`);
  let manifest: string | null = null;
  let archive = false;
  try {
    await fsp.mkdir(path.dirname(spool), { recursive: true });
    const limits = { maxBytes, maxFileBytes: maxBytes, maxFiles: MAX_MANIFEST_ROWS + 2, maxFieldBytes: MANIFEST_BYTES };
    const { fields } = await readMultipart(request, {
      limits,
      fileFields: ['manifest', 'archive', 'files'],
      textFields: ['manifest'],
      onFile: async ({ field, filename, stream }) => {
        if (field === 'manifest') manifest = (await collect(capped(stream, MANIFEST_BYTES, 'The manifest'))).toString('utf8');
        else if (field === 'archive') {
          if (archive) throw new AppError('validation_failed', 'Send one "archive" part.');
          archive = true;
          await pipeline(stream, fs.createWriteStream(spool, { flags: 'wx' }));
        } else {
          if (files.has(filename)) throw new AppError('validation_failed', `Two files are named "${filename}"; file names must be unique in one upload.`);
          files.set(filename, { sha256: '', size: 0 }); // reserved at once: a duplicate name is refused even while this one is written
          const ref = await putBlob(capped(stream, MAX_BYTES, `"${filename}"`));
          if (ref.created) created.push(ref.sha256);
          files.set(filename, { sha256: ref.sha256, size: ref.size });
        }
      },
    });
    manifest ??= fields.get('manifest') ?? null;
    if (manifest === null) throw new AppError('validation_failed', 'The upload needs a "manifest" part: a CSV with the header external_id,label,file.');
    const rows = parseManifest(manifest);
    if (archive && files.size) throw new AppError('validation_failed', 'Send either an "archive" or "files", not both.');
    if (archive) {
      const inflated = await readArchive(spool, new Set(rows.map((r) => r.file)), (ref) => void (ref.created && created.push(ref.sha256)));
      return { rows, files: inflated, created };
    }
    if (!files.size) throw new AppError('validation_failed', 'The upload has a manifest but no images: add an "archive" (zip) or "files" parts.');
    return { rows, files, created };
  } catch (err) {
    await discardBlobs(created);
    throw err;
  } finally {
    await fsp.rm(spool, { force: true });
  }
}
