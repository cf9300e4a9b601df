import { AppError } from '@/lib/errors/app-error';
import type { Box } from '@/lib/faces/check-reference';
import { MAX_BYTES } from '@/lib/faces/decode-image';
import { collect, readMultipart } from '@/lib/http/read-multipart';

const LIMITS = { maxBytes: MAX_BYTES + 64 * 1024, maxFileBytes: MAX_BYTES, maxFiles: 1, maxFieldBytes: 1024 };
const BOX = /^\s*(\d{1,6}(?:\.\d+)?)\s*,\s*(\d{1,6}(?:\.\d+)?)\s*,\s*(\d{1,6}(?:\.\d+)?)\s*,\s*(\d{1,6}(?:\.\d+)?)\s*$/;

/** A picked face's box as the form sends it, `x,y,width,height` in the upright photo's pixels. */
export function parsePick(value: string | undefined): Box | undefined {
  if (value === undefined) return undefined;
  const m = BOX.exec(value);
  const box = m ? (m.slice(1).map(Number) as Box) : null;
  if (!box || box[2] <= 0 || box[3] <= 0) {
    throw new AppError('validation_failed', 'The picked face must be given as x,y,width,height in pixels: pick your face again.', {
      issues: [{ field: 'face', message: 'Give the face as four numbers: x,y,width,height.' }],
    });
  }
  return box;
}

/**
 * The one reference photo of an upload (multipart field `photo`), read as a stream and refused past
 * 20 MB while reading, and the face the person picked in it (field `face`) when it shows several.
 */
export async function readReferencePhoto(request: Request): Promise<{ photo: Buffer; pick: Box | undefined }> {
  const { fields, files } = await readMultipart(request, {
    limits: LIMITS,
    fileFields: ['photo'],
    textFields: ['face'],
    onFile: ({ stream }) => collect(stream),
  });
  const photo = files[0]?.value;
  if (!photo?.length) throw new AppError('validation_failed', 'Choose a photo to upload.');
  return { photo, pick: parsePick(fields.get('face')) };
}
