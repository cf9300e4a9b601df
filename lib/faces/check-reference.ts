import { FaceError } from './decode-image';
import { LAST_CLEAR_PASS, PASSES, type DetectedFace } from './detect-faces';
import type { EmbedResult } from './embed-image';

/** The smallest face side, in original pixels, that a reference photo may have. */
export const MIN_REFERENCE_FACE = 48;
/** The confidence a reference photo's face must reach, per detector (their scores are not on one scale). */
export const MIN_REFERENCE_SCORE = { tiny: 0.5, ssd: 0.8 } as const;

/**
 * A reference photo must show exactly one usable face: the person's own, large and clear enough to
 * search with. Each refusal says what to do about it.
 */
export function checkReference(result: EmbedResult): DetectedFace {
  if (!result.ok) throw new FaceError(result.error.code as never, result.error.message);
  const faces = result.faces;
  if (faces.length === 0) throw new FaceError('no_face', 'We could not find a face in this photo. Use a photo where your face is clearly visible, facing the camera.');
  if (faces.length > 1) {
    throw new FaceError('several_faces', `This photo shows ${faces.length} faces. Use a photo of you alone, or crop it to your face.`);
  }
  const [face] = faces;
  if (Math.min(face.box[2], face.box[3]) < MIN_REFERENCE_FACE) {
    throw new FaceError('face_too_small', `Your face is only ${Math.round(Math.min(face.box[2], face.box[3]))} pixels wide here; use a closer or larger photo (at least ${MIN_REFERENCE_FACE}).`);
  }
  if (face.pass > LAST_CLEAR_PASS || face.score < MIN_REFERENCE_SCORE[PASSES[face.pass].detector]) {
    throw new FaceError('face_unclear', 'Your face is not clear enough in this photo (blurred, turned away or partly hidden). Use a sharper, front-facing photo.');
  }
  return face;
}
