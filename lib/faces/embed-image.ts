import { decodeImage, FaceError, type FaceErrorCode } from './decode-image';
import { detectFaces, type DetectedFace } from './detect-faces';
import { EMBEDDING_MODEL } from './face-api';
import { faceThumbnail } from './face-thumbnail';
import { imageHashes, type HashPair } from './image-hash';

/** A face with, when asked, its thumbnail and its region's perceptual hashes (null: too small to frame). */
export type EmbeddedFace = DetectedFace & { thumbnail?: Uint8Array; hash?: HashPair | null };

export type EmbedResult =
  | { ok: true; model: string; width: number; height: number; truncated: boolean; faces: EmbeddedFace[]; imageHash?: HashPair }
  | { ok: false; error: { code: FaceErrorCode; message: string } };

/**
 * Decodes an image and finds every face in it with its descriptor (and, when asked, a JPEG
 * thumbnail of each face and the perceptual hashes of the image and its faces); bad input becomes
 * a coded error.
 */
export async function embedImage(bytes: Buffer, opts: { thumbnails?: boolean; hashes?: boolean } = {}): Promise<EmbedResult> {
  try {
    const img = await decodeImage(bytes);
    const faces: EmbeddedFace[] = await detectFaces(img);
    if (opts.thumbnails) {
      const size = { width: img.originalWidth, height: img.originalHeight };
      for (const f of faces) f.thumbnail = new Uint8Array(await faceThumbnail(bytes, f.box, size));
    }
    const hashes = opts.hashes ? await imageHashes(img, faces) : null;
    if (hashes) faces.forEach((f, i) => (f.hash = hashes.faces[i]));
    const result = { ok: true, model: EMBEDDING_MODEL, width: img.originalWidth, height: img.originalHeight, truncated: img.truncated, faces } as const;
    return hashes ? { ...result, imageHash: hashes.image } : result;
  } catch (err) {
    if (err instanceof FaceError) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}
