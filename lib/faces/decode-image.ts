import sharp, { type Metadata, type OutputInfo } from 'sharp';

/**
 * Decoding with validation, before any face work: JPEG, PNG and WebP only; at most MAX_BYTES and
 * MAX_PIXELS (checked from the header, before the pixels are decoded, so a decompression bomb is
 * refused cheaply); EXIF orientation applied; a truncated file decoded as far as it goes and
 * flagged. Every refusal is a FaceError with a code a person or a script can act on.
 */
export const MAX_BYTES = 20 * 1024 * 1024;
export const MAX_PIXELS = 40_000_000;
/** Larger images are scaled down to this longest side for detection (boxes are mapped back). */
export const WORK_SIDE = 1024;

export type FaceErrorCode =
  'unsupported_type' | 'too_large' | 'corrupt_image' | 'no_face' | 'several_faces' | 'face_not_found' | 'face_too_small' | 'face_unclear';

export class FaceError extends Error {
  constructor(
    readonly code: FaceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FaceError';
  }
}

export type DecodedImage = {
  /** RGB bytes, row-major, width × height × 3, after orientation and any downscale. */
  rgb: Buffer;
  width: number;
  height: number;
  /** Multiply working coordinates by this to get original-image coordinates. */
  scale: number;
  format: 'jpeg' | 'png' | 'webp';
  originalWidth: number;
  originalHeight: number;
  /** The file ended early; what could be decoded was. */
  truncated: boolean;
};

const FORMATS = new Set(['jpeg', 'png', 'webp']);

function sniff(bytes: Buffer): 'jpeg' | 'png' | 'webp' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export async function decodeImage(bytes: Buffer): Promise<DecodedImage> {
  if (bytes.length > MAX_BYTES)
    throw new FaceError('too_large', `The file is ${(bytes.length / 2 ** 20).toFixed(1)} MB; the limit is ${MAX_BYTES / 2 ** 20} MB.`);
  const format = sniff(bytes);
  if (!format) throw new FaceError('unsupported_type', 'This is not a JPEG, PNG or WebP image.');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new FaceError('corrupt_image', 'The image file is damaged and cannot be read.');
  }
  if (!meta.format || !FORMATS.has(meta.format)) throw new FaceError('unsupported_type', 'This is not a JPEG, PNG or WebP image.');
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new FaceError('corrupt_image', 'The image has no size: the file is damaged.');
  if (w * h > MAX_PIXELS)
    throw new FaceError('too_large', `The image is ${w}×${h} (${((w * h) / 1e6).toFixed(0)} megapixels); the limit is ${MAX_PIXELS / 1e6} megapixels.`);
  const rotated = (meta.orientation ?? 1) >= 5;
  const [ow, oh] = rotated ? [h, w] : [w, h];
  const longest = Math.max(ow, oh);
  const scale = longest > WORK_SIDE ? longest / WORK_SIDE : 1;
  const decode = (failOn: 'truncated' | 'none') => {
    let p = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn }).rotate().removeAlpha().toColourspace('srgb');
    if (scale > 1) p = p.resize({ width: Math.round(ow / scale), height: Math.round(oh / scale), fit: 'fill' });
    return p.raw().toBuffer({ resolveWithObject: true });
  };
  let truncated = false;
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await decode('truncated');
  } catch {
    try {
      out = await decode('none');
      truncated = true;
    } catch {
      throw new FaceError('corrupt_image', 'The image file is damaged and cannot be decoded.');
    }
  }
  if (out.info.channels !== 3) throw new FaceError('corrupt_image', `Unexpected ${out.info.channels}-channel image after decoding.`);
  return { rgb: out.data, width: out.info.width, height: out.info.height, scale, format, originalWidth: ow, originalHeight: oh, truncated };
}
