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

/** The width and height of a photo as shown upright (EXIF orientation applied), from its header alone. */
export async function uprightSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  return { width: (turned ? meta.height : meta.width) ?? 0, height: (turned ? meta.width : meta.height) ?? 0 };
}

/**
 * The part of a photo around one face that is kept of a reference photo with several faces: the
 * face's box widened by half its size on each side (clipped to the photo), upright, as a JPEG,
 * with the face's box in the crop's coordinates. The other people in the photo are not kept.
 */
export async function faceRegion(bytes: Buffer, box: [number, number, number, number]): Promise<{ jpeg: Buffer; box: [number, number, number, number] }> {
  const size = await uprightSize(bytes);
  const [x, y, w, h] = box;
  const left = Math.max(0, Math.floor(x - w / 2));
  const top = Math.max(0, Math.floor(y - h / 2));
  const width = Math.max(1, Math.min(size.width, Math.ceil(x + w * 1.5)) - left);
  const height = Math.max(1, Math.min(size.height, Math.ceil(y + h * 1.5)) - top);
  const jpeg = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'none' })
    .rotate()
    .extract({ left, top, width, height })
    .jpeg({ quality: 92 })
    .toBuffer();
  return { jpeg, box: [x - left, y - top, w, h] };
}
