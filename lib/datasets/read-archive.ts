import yauzl from 'yauzl';
import { AppError } from '@/lib/errors/app-error';

/** Limits on one uploaded archive, checked on the declared sizes first and on the bytes inflated. */
export const ARCHIVE_LIMITS = {
  files: 20_000,
  totalBytes: 2 * 1024 ** 3,
  fileBytes: 20 * 1024 * 1024,
  /** Larger inflation ratios than this are a zip bomb, not a photo collection. */
  ratio: 200,
};

/**
 * Reads a zip archive into memory, refusing what is unsafe before inflating anything: entry names
 * with `..`, absolute paths or drive letters, more than ARCHIVE_LIMITS.files entries, declared sizes
 * over the limits (a 10 GB archive is refused from its central directory), and inflation ratios of
 * a zip bomb; yauzl also checks that each entry inflates to exactly its declared size. Directories
 * and macOS metadata (`__MACOSX/`, `._*`) are skipped. Only entries named in `wanted` are inflated.
 */
export async function readArchive(zip: Buffer, wanted: Set<string>): Promise<Map<string, Buffer>> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err ? reject(bad(`The archive is not a readable zip file (${err.message}).`)) : resolve(z))),
  );
  if (archive.entryCount > ARCHIVE_LIMITS.files) throw new AppError('payload_too_large', `The archive holds ${archive.entryCount} entries; the limit is ${ARCHIVE_LIMITS.files}.`);
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      archive.readEntry();
    });
    archive.on('end', resolve);
    archive.on('error', (err: Error) => {
      const unsafe = /invalid relative path|absolute path/.exec(err.message);
      reject(bad(unsafe ? `The archive contains an unsafe path (${err.message}); nothing was imported.` : `The archive is damaged (${err.message}).`));
    });
    archive.readEntry();
  });
  let declared = 0;
  for (const e of entries) {
    const name = e.fileName.replace(/\\/g, '/');
    if (name.startsWith('/') || /^[a-z]:/i.test(name) || name.split('/').includes('..')) {
      throw bad(`The archive contains the unsafe path "${e.fileName}" (absolute or with ".."); nothing was imported.`);
    }
    declared += e.uncompressedSize;
    if (e.uncompressedSize > ARCHIVE_LIMITS.fileBytes && wanted.has(name)) {
      throw new AppError('payload_too_large', `"${name}" is ${(e.uncompressedSize / 2 ** 20).toFixed(0)} MB once extracted; images are limited to ${ARCHIVE_LIMITS.fileBytes / 2 ** 20} MB.`);
    }
    if (e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > ARCHIVE_LIMITS.ratio && e.uncompressedSize > 1024 * 1024) {
      throw bad(`"${name}" inflates ${Math.round(e.uncompressedSize / e.compressedSize)} times: the archive looks like a zip bomb.`);
    }
  }
  if (declared > ARCHIVE_LIMITS.totalBytes) {
    throw new AppError('payload_too_large', `The archive declares ${(declared / 2 ** 30).toFixed(1)} GB once extracted; the limit is ${ARCHIVE_LIMITS.totalBytes / 2 ** 30} GB.`);
  }
  const files = new Map<string, Buffer>();
  for (const e of entries) {
    const name = e.fileName.replace(/\\/g, '/');
    if (name.endsWith('/') || !wanted.has(name)) continue;
    files.set(name, await inflate(archive, e));
  }
  archive.close();
  return files;
}

function inflate(archive: yauzl.ZipFile, e: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    archive.openReadStream(e, (err, stream) => {
      if (err) return reject(bad(`"${e.fileName}" cannot be extracted (${err.message}).`));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > ARCHIVE_LIMITS.fileBytes) stream.destroy(new Error('larger than declared'));
        else chunks.push(c);
      });
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', (er: Error) => reject(bad(`"${e.fileName}" is damaged in the archive (${er.message}).`)));
    }),
  );
}

function bad(message: string): AppError {
  return new AppError('validation_failed', message);
}
