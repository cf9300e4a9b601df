import type * as FaceApi from '@vladmandic/face-api';
import type { DecodedImage } from './decode-image';
import { faceApi, tfOf } from './face-api';

export type DetectedFace = {
  /** [x, y, width, height] in original-image pixels. */
  box: [number, number, number, number];
  score: number;
  /** 68 landmarks [x, y] in original-image pixels. */
  landmarks: [number, number][];
  /** 128-d descriptor: the mean of the aligned face chip's and its mirror image's descriptors. */
  descriptor: number[];
  /** Which pass found the face (0: plain, 1: padded, 2: padded with a lower threshold). */
  pass: number;
};

/**
 * Detection passes, tried in order until one finds a face. LFW-like tight crops defeat the plain
 * detector about one time in ten: padding the image gives the detector the context it was trained
 * with, and a lower threshold on the padded image catches the rest of the faces a person can see.
 */
const PASSES = [
  { pad: 0, minConfidence: 0.5 },
  { pad: 0.3, minConfidence: 0.5 },
  { pad: 0.3, minConfidence: 0.25 },
] as const;

export async function detectFaces(img: DecodedImage): Promise<DetectedFace[]> {
  const api = await faceApi();
  const tf = tfOf(api);
  const input = tf.tensor3d(new Int32Array(img.rgb), [img.height, img.width, 3], 'int32');
  try {
    for (let pass = 0; pass < PASSES.length; pass++) {
      const { pad, minConfidence } = PASSES[pass];
      const p = Math.round(pad * Math.max(img.width, img.height));
      const padded = p ? tf.pad(input, [[p, p], [p, p], [0, 0]], 127) : input;
      const asInput = padded as unknown as FaceApi.tf.Tensor3D;
      try {
        const found = await api.detectAllFaces(asInput, new api.SsdMobilenetv1Options({ minConfidence, maxResults: 50 })).withFaceLandmarks();
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
  const [chip] = await api.extractFaceTensors(image, [f.alignedRect]);
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
