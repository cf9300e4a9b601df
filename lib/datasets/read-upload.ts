import { AppError } from '@/lib/errors/app-error';
import { parseManifest, type ManifestRow } from './manifest';
import { readArchive } from './read-archive';

/**
 * Reads an upload request (multipart/form-data: `manifest`, and `archive` or `files`), refusing a
 * declared size over `maxBytes` before reading, into manifest rows and the files they name.
 */
export async function readUpload(request: Request, maxBytes: number): Promise<{ rows: ManifestRow[]; files: Map<string, Buffer> }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new AppError('unsupported_media_type', 'Send the upload as multipart/form-data with a manifest and an archive or files.');
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new AppError('payload_too_large', `The upload is ${(declared / 2 ** 20).toFixed(0)} MB; one upload is limited to ${maxBytes / 2 ** 20} MB. Split it into several.`);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError('bad_request', 'The multipart body could not be read: it is malformed or was cut off.');
  }
  const manifest = form.get('manifest');
  if (!manifest) throw new AppError('validation_failed', 'The upload needs a "manifest" part: a CSV with the header external_id,label,file.');
  const rows = parseManifest(typeof manifest === 'string' ? manifest : await manifest.text());
  const archive = form.get('archive');
  const parts = form.getAll('files').filter((f): f is File => typeof f !== 'string');
  if (archive && parts.length) throw new AppError('validation_failed', 'Send either an "archive" or "files", not both.');
  if (archive) {
    if (typeof archive === 'string') throw new AppError('validation_failed', 'The "archive" part must be a zip file.');
    return { rows, files: await readArchive(Buffer.from(await archive.arrayBuffer()), new Set(rows.map((r) => r.file))) };
  }
  if (!parts.length) throw new AppError('validation_failed', 'The upload has a manifest but no images: add an "archive" (zip) or "files" parts.');
  const files = new Map<string, Buffer>();
  for (const f of parts) {
    const name = f.name.replace(/\\/g, '/');
    if (files.has(name)) throw new AppError('validation_failed', `Two files are named "${name}"; file names must be unique in one upload.`);
    files.set(name, Buffer.from(await f.arrayBuffer()));
  }
  return { rows, files };
}
