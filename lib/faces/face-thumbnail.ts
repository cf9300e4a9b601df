import sharp from 'sharp';
import { MAX_PIXELS } from './decode-image';

/** The side of a face thumbnail, in pixels. */
export const THUMBNAIL_SIDE = 112;

/**
 * A JPEG of one face alone: its box widened by 20 % on each side (clipped to the image), square,
 * THUMBNAIL_SIDE pixels. This is the only picture of a training image a requester is ever shown,
 * so it must not include other people: the margin stays small.
 */
export async function faceThumbnail(bytes: Buffer, box: [number, number, number, number], size: { width: number; height: number }): Promise<Buffer> {
  const [x, y, w, h] = box;
  const side = Math.max(w, h) * 1.4;
  const cx = x + w / 2;
  const cy = y + h / 2;
  const left = Math.max(0, Math.round(cx - side / 2));
  const top = Math.max(0, Math.round(cy - side / 2));
  const width = Math.max(1, Math.min(size.width - left, Math.round(side)));
  const height = Math.max(1, Math.min(size.height - top, Math.round(side)));
  return sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'none' })
    .rotate()
    .extract({ left, top, width, height })
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'cover' })
    .jpeg({ quality: 82 })
    .toBuffer();
}
