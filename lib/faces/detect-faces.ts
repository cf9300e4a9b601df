import type * as FaceApi from '@vladmandic/face-api';
import type { DecodedImage } from './decode-image';
import { faceApi, tfOf } from './face-api';

export type DetectedFace = {
  /** [x, y, width, height] in original-image pixels. */
  box: [number, number, number, number];
  /** The detector's confidence (its scale depends on the pass's detector: see PASSES). */
  score: number;
  /** 68 landmarks [x, y] in original-image pixels. */
  landmarks: [number, number][];
  /** 128-d descriptor: the mean of the dlib-aligned face chip's and its mirror image's descriptors. */
  descriptor: number[];
  /** Which pass of PASSES found the face. */
  pass: number;
};

type Pass = { detector: 'tiny'; minConfidence: number } | { detector: 'ssd'; pad: number; minConfidence: number };

/**
 * Detection passes, tried in order until one finds a face. The tiny detector is 16 times cheaper
 * than SSD-MobileNet (17 ms against 277 ms on a 250×250 photo, one wasm thread) and finds as many
 * faces on LFW, so it goes first. What it misses goes to SSD-MobileNet: plain, then on the image
 * padded by 30 % (LFW-like tight crops defeat a detector about one time in ten; the padding gives
 * it the context it was trained with), then padded with a lower threshold, then padded by 60 %
 * (faces that fill the whole frame, as in AT&T's 92×112 portraits: 13 of its 400 photos have a
 * plainly visible face that only this pass finds), which catches the rest of the faces a person can
 * plainly see. The descriptor depends on the detector's box only through
 * the landmarks: the chip is cut from the eyes and the mouth.
 *
 * Not adopted: the tiny detector on the padded image before SSD. It finds 119 of the 124 faces
 * the first pass misses in lfw-train at a tenth of SSD's cost, but the landmarks from its boxes
 * make worse descriptors: calibrated with it, TAR at FAR 1e-3 fell from 0.958 to 0.954 and the
 * best accuracy from 98.62 % to 98.44 %, below the 98.5 % target (bench/face-calibration.ts).
 */
export const PASSES: readonly Pass[] = [
  { detector: 'tiny', minConfidence: 0.5 },
  { detector: 'ssd', pad: 0, minConfidence: 0.5 },
  { detector: 'ssd', pad: 0.3, minConfidence: 0.5 },
  { detector: 'ssd', pad: 0.3, minConfidence: 0.25 },
  { detector: 'ssd', pad: 0.6, minConfidence: 0.25 },
];
/** The last pass whose faces are clear enough for a reference photo. */
export const LAST_CLEAR_PASS = 2;

/** The tiny detector's input side: a multiple of 32, larger for larger images (small faces in group photos). */
function tinyInputSize(img: DecodedImage): number {
  const side = Math.max(img.width, img.height);
  return Math.min(608, Math.max(224, Math.ceil((side * 0.6) / 32) * 32));
}

export async function detectFaces(img: DecodedImage): Promise<DetectedFace[]> {
  const api = await faceApi();
  const tf = tfOf(api);
  const input = tf.tensor3d(new Int32Array(img.rgb), [img.height, img.width, 3], 'int32');
  try {
    for (let pass = 0; pass < PASSES.length; pass++) {
      const spec = PASSES[pass];
      const pad = spec.detector === 'ssd' ? spec.pad : 0;
      const p = Math.round(pad * Math.max(img.width, img.height));
      const padded = p
        ? tf.pad(
            input,
            [
              [p, p],
              [p, p],
              [0, 0],
            ],
            127,
          )
        : input;
      const asInput = padded as unknown as FaceApi.tf.Tensor3D;
      try {
        const options =
          spec.detector === 'tiny'
            ? new api.TinyFaceDetectorOptions({ inputSize: tinyInputSize(img), scoreThreshold: spec.minConfidence })
            : new api.SsdMobilenetv1Options({ minConfidence: spec.minConfidence, maxResults: 50 });
        const found = await api.detectAllFaces(asInput, options).withFaceLandmarks();
        if (!found.length) continue;
        const faces: DetectedFace[] = [];
        for (const f of found) faces.push(await describe(api, asInput, f, p, img.scale, pass));
        return faces;
      } finally {
        if (padded !== input) padded.dispose();
      }
    }
    return [];
  } finally {
    input.dispose();
  }
}

async function describe(
  api: typeof FaceApi,
  image: FaceApi.tf.Tensor3D,
  f: FaceApi.WithFaceLandmarks<{ detection: FaceApi.FaceDetection }, FaceApi.FaceLandmarks68>,
  pad: number,
  scale: number,
  pass: number,
): Promise<DetectedFace> {
  const tf = tfOf(api);
  // The chip the descriptor was trained on: dlib's alignment box from the eyes and the mouth (the
  // library's own descriptor pipeline uses it). The default box around all 68 landmarks gives
  // much worse descriptors: TAR at FAR 1e-3 0.57 against 0.92 on 336 LFW photos, measured here.
  const [chip] = await api.extractFaceTensors(image, [f.landmarks.align(null, { useDlibAlignment: true })]);
  let descriptor: number[];
  try {
    const mirrored = tf.tidy(() => tf.reverse(chip as never, 1)) as unknown as FaceApi.tf.Tensor3D;
    try {
      const a = (await api.nets.faceRecognitionNet.computeFaceDescriptor(chip)) as Float32Array;
      const b = (await api.nets.faceRecognitionNet.computeFaceDescriptor(mirrored)) as Float32Array;
      descriptor = Array.from(a, (v, i) => (v + b[i]) / 2);
    } finally {
      mirrored.dispose();
    }
  } finally {
    chip.dispose();
  }
  const box = f.detection.box;
  const map = (x: number) => Math.round((x - pad) * scale * 10) / 10;
  return {
    box: [map(box.x), map(box.y), Math.round(box.width * scale * 10) / 10, Math.round(box.height * scale * 10) / 10],
    score: Math.round(f.detection.score * 1e4) / 1e4,
    landmarks: f.landmarks.positions.map((pt) => [map(pt.x), map(pt.y)]),
    descriptor,
    pass,
  };
}
