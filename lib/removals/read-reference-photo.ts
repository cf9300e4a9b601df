import { AppError } from '@/lib/errors/app-error';
import { MAX_BYTES } from '@/lib/faces/decode-image';
import { collect, readMultipart } from '@/lib/http/read-multipart';

const LIMITS = { maxBytes: MAX_BYTES + 64 * 1024, maxFileBytes: MAX_BYTES, maxFiles: 1, maxFieldBytes: 1024 };

/** The one reference photo of an upload (multipart field `photo`), read as a stream and refused past 20 MB while reading. */
export async function readReferencePhoto(request: Request): Promise<Buffer> {
  const { files } = await readMultipart(request, { limits: LIMITS, fileFields: ['photo'], onFile: ({ stream }) => collect(stream) });
  const photo = files[0]?.value;
  if (!photo?.length) throw new AppError('validation_failed', 'Choose a photo to upload.');
  return photo;
}
