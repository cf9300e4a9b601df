import { FaceError } from './decode-image';
import { LAST_CLEAR_PASS, PASSES, type DetectedFace } from './detect-faces';
import type { EmbedResult } from './embed-image';

/** The smallest face side, in original pixels, that a reference photo may have. */
export const MIN_REFERENCE_FACE = 48;
/** The confidence a reference photo's face must reach, per detector (their scores are not on one scale). */
export const MIN_REFERENCE_SCORE = { tiny: 0.5, ssd: 0.8 } as const;
/** How much of the picked box and a face found again must overlap (intersection over union) to be the same face. */
export const PICK_MIN_IOU = 0.5;

export type Box = [number, number, number, number];
/** A face of a photo with several, offered to the person to pick theirs: its box in the upright photo, and whether it could be used. */
export type FaceChoice = { box: Box; usable: boolean };

/** A photo with several faces and no pick: the refusal carries the faces to choose from. */
export class SeveralFacesError extends FaceError {
  constructor(readonly choices: FaceChoice[]) {
    const usable = choices.filter((c) => c.usable).length;
    super(
      'several_faces',
      usable
        ? `This photo shows ${choices.length} faces. Pick yours: only that face is kept, cropped from the photo.`
        : `This photo shows ${choices.length} faces, none large and clear enough to search with. Use a photo of you alone, closer up.`,
    );
  }
}

function refusal(face: DetectedFace): FaceError | null {
  if (Math.min(face.box[2], face.box[3]) < MIN_REFERENCE_FACE) {
    const px = Math.round(Math.min(face.box[2], face.box[3]));
    return new FaceError('face_too_small', `Your face is only ${px} pixels wide here; use a closer or larger photo (at least ${MIN_REFERENCE_FACE}).`);
  }
  if (face.pass > LAST_CLEAR_PASS || face.score < MIN_REFERENCE_SCORE[PASSES[face.pass].detector]) {
    return new FaceError(
      'face_unclear',
      'Your face is not clear enough in this photo (blurred, turned away or partly hidden). Use a sharper, front-facing photo.',
    );
  }
  return null;
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  return inter / (a[2] * a[3] + b[2] * b[3] - inter || 1);
}

/**
 * A reference photo must give one usable face: the person's own, large and clear enough to search
 * with. A photo with several faces is refused with the faces to pick from (SeveralFacesError); sent
 * again with `pick`, the box the person chose, the face found again at that place is the one
 * checked and used. Each refusal says what to do about it.
 */
export function checkReference(result: EmbedResult, pick?: Box): DetectedFace {
  if (!result.ok) throw new FaceError(result.error.code, result.error.message);
  const faces = result.faces;
  if (faces.length === 0)
    throw new FaceError('no_face', 'We could not find a face in this photo. Use a photo where your face is clearly visible, facing the camera.');
  let face = faces[0];
  if (pick) {
    const best = faces.map((f) => ({ f, overlap: iou(f.box as Box, pick) })).sort((a, b) => b.overlap - a.overlap)[0];
    if (best.overlap < PICK_MIN_IOU)
      throw new FaceError('face_not_found', 'The face you picked is not in this photo. Choose the photo again and pick your face.');
    face = best.f;
  } else if (faces.length > 1) {
    throw new SeveralFacesError(faces.map((f) => ({ box: f.box.map(Math.round) as Box, usable: refusal(f) === null })));
  }
  const refused = refusal(face);
  if (refused) throw refused;
  return face;
}
