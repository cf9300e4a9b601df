import { Transform } from 'node:stream';
import yauzl from 'yauzl';
import { putBlob, type BlobRef } from '@/lib/blobs/blob-store';
import { AppError } from '@/lib/errors/app-error';

/** Limits on one uploaded archive, checked on the declared sizes first and on the bytes inflated. */
export const ARCHIVE_LIMITS = {
  files: 20_000,
  /** Everything the manifest asks for, once inflated. */
  totalBytes: 1024 ** 3,
  fileBytes: 20 * 1024 * 1024,
  /** An entry (over `ratioFloorBytes`) that inflates more than this is a zip bomb, not a photo. */
  ratio: 100,
  ratioFloorBytes: 64 * 1024,
};

/**
 * Reads the entries of a zip archive on disk that `wanted` names, each streamed into the blob store
 * (memory stays flat), refusing what is unsafe before inflating anything: entry names with `..`,
 * absolute paths or drive letters, more than ARCHIVE_LIMITS.files entries, declared sizes over the
 * limits (each and in total), and inflation ratios of a zip bomb. While inflating, the bytes are
 * counted again (yauzl also checks each entry against its declared size). Directories and macOS
 * metadata are skipped. `stored` receives each blob as it is written, for the caller's clean-up.
 */
export async function readArchive(file: string, wanted: Set<string>, stored: (ref: BlobRef & { created: boolean }) => void): Promise<Map<string, BlobRef>> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, z) =>
      err ? reject(bad(`The archive is not a readable zip file (${err.message}).`)) : resolve(z),
    ),
  );
  try {
    if (archive.entryCount > ARCHIVE_LIMITS.files)
      throw new AppError('payload_too_large', `The archive holds ${archive.entryCount} entries; the limit is ${ARCHIVE_LIMITS.files}.`);
    const entries = await listEntries(archive);
    let declared = 0;
    for (const e of entries) {
      const name = e.fileName.replace(/\\/g, '/');
      if (name.startsWith('/') || /^[a-z]:/i.test(name) || name.split('/').includes('..')) {
        throw bad(`The archive contains the unsafe path "${e.fileName}" (absolute or with ".."); nothing was imported.`);
      }
      if (!wanted.has(name)) continue;
      declared += e.uncompressedSize;
      if (e.uncompressedSize > ARCHIVE_LIMITS.fileBytes) {
        throw new AppError(
          'payload_too_large',
          `"${name}" is ${(e.uncompressedSize / 2 ** 20).toFixed(0)} MB once extracted; images are limited to ${ARCHIVE_LIMITS.fileBytes / 2 ** 20} MB.`,
        );
      }
      const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
      if (e.uncompressedSize > ARCHIVE_LIMITS.ratioFloorBytes && ratio > ARCHIVE_LIMITS.ratio)
        throw bad(`"${name}" inflates ${Math.round(ratio)} times: the archive looks like a zip bomb.`);
    }
    if (declared > ARCHIVE_LIMITS.totalBytes) {
      throw new AppError(
        'payload_too_large',
        `The images of the archive make ${(declared / 2 ** 30).toFixed(1)} GB once extracted; the limit is ${ARCHIVE_LIMITS.totalBytes / 2 ** 30} GB.`,
      );
    }
    const files = new Map<string, BlobRef>();
    let inflated = 0;
    for (const e of entries) {
      const name = e.fileName.replace(/\\/g, '/');
      if (name.endsWith('/') || !wanted.has(name)) continue;
      const ref = await inflateToBlob(archive, e, (n) => {
        inflated += n;
        return inflated <= ARCHIVE_LIMITS.totalBytes;
      });
      stored(ref);
      files.set(name, { sha256: ref.sha256, size: ref.size });
    }
    return files;
  } finally {
    archive.close();
  }
}

function listEntries(archive: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  return new Promise((resolve, reject) => {
    archive.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      archive.readEntry();
    });
    archive.on('end', () => resolve(entries));
    archive.on('error', (err: Error) => {
      const unsafe = /invalid relative path|absolute path/.exec(err.message);
      reject(bad(unsafe ? `The archive contains an unsafe path (${err.message}); nothing was imported.` : `The archive is damaged (${err.message}).`));
    });
    archive.readEntry();
  });
}

/** Inflates one entry into the blob store, stopping at ARCHIVE_LIMITS.fileBytes or when `more` refuses the bytes. */
async function inflateToBlob(archive: yauzl.ZipFile, e: yauzl.Entry, more: (n: number) => boolean) {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    archive.openReadStream(e, (err, s) => (err ? reject(bad(`"${e.fileName}" cannot be extracted (${err.message}).`)) : resolve(s))),
  );
  let size = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > ARCHIVE_LIMITS.fileBytes || !more(chunk.length)) cb(new AppError('payload_too_large', `"${e.fileName}" inflates to more than its limit.`));
      else cb(null, chunk);
    },
  });
  stream.on('error', (err: Error) => guard.destroy(err));
  try {
    return await putBlob(stream.pipe(guard));
  } catch (err) {
    throw err instanceof AppError ? err : bad(`"${e.fileName}" is damaged in the archive (${(err as Error).message}).`);
  }
}

function bad(message: string): AppError {
  return new AppError('validation_failed', message);
}
