/**
 * Head yaw from the 68 face landmarks (iBUG layout), as a fraction of the face's width: the nose
 * tip's offset (point 30) from the middle of the jaw line's ends (points 0 and 16). 0 is frontal;
 * positive when the nose points to the image's right, which in a camera's unmirrored frame is the
 * person turning to their own left. A flat photo turned in front of the camera keeps its value
 * (the nose moves with the jaw), a head does not: that difference is what the challenge measures.
 * On AT&T's 400 portraits (bench/liveness.ts) frontal photos sit within ±0.05 and the subjects'
 * small turns reach 0.15–0.5.
 */
export function yawOf(landmarks: readonly (readonly [number, number])[]): number {
  const left = landmarks[0][0];
  const right = landmarks[16][0];
  const width = right - left;
  if (!(width > 0)) return NaN;
  return (landmarks[30][0] - (left + right) / 2) / width;
}

/** The yaw sign a pose asks for (see yawOf): +1 for the person's left, -1 for their right. */
export const POSE_SIGN = { left: 1, right: -1 } as const;
