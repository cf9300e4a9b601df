import { decodeImage, FaceError } from './decode-image';
import { detectFaces, type DetectedFace } from './detect-faces';
import { EMBEDDING_MODEL } from './face-api';

export type EmbedResult =
  | { ok: true; model: string; width: number; height: number; truncated: boolean; faces: DetectedFace[] }
  | { ok: false; error: { code: string; message: string } };

/** Decodes an image and finds every face in it with its descriptor; bad input becomes a coded error. */
export async function embedImage(bytes: Buffer): Promise<EmbedResult> {
  try {
    const img = await decodeImage(bytes);
    const faces = await detectFaces(img);
    return { ok: true, model: EMBEDDING_MODEL, width: img.originalWidth, height: img.originalHeight, truncated: img.truncated, faces };
  } catch (err) {
    if (err instanceof FaceError) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}
