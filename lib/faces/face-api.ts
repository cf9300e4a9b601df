import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';

/**
 * face-api (its node-wasm build: the default entry needs tfjs-node, which cannot install here) on
 * TensorFlow.js's wasm backend, with the SSD-MobileNet detector, the 68-point landmark net and the
 * 128-d ResNet descriptor from the models inside the npm package. Loaded once per thread and kept
 * warm. The wasm backend is single-threaded: run one of these per worker thread, one per core.
 */
export const EMBEDDING_MODEL = 'faceapi-128@1.7.15';

const require = createRequire(import.meta.url);
let loaded: Promise<typeof FaceApi> | undefined;

export function faceApi(): Promise<typeof FaceApi> {
  loaded ??= (async () => {
    const api = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
    await tfOf(api).setBackend('wasm');
    await tfOf(api).ready();
    const dir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    await Promise.all([
      api.nets.tinyFaceDetector.loadFromDisk(dir),
      api.nets.ssdMobilenetv1.loadFromDisk(dir),
      api.nets.faceLandmark68Net.loadFromDisk(dir),
      api.nets.faceRecognitionNet.loadFromDisk(dir),
    ]);
    return api;
  })().catch((err) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

/** face-api's own typings cover only part of TensorFlow.js; this is the full API of the same instance. */
export function tfOf(api: typeof FaceApi): typeof import('@tensorflow/tfjs') {
  return api.tf as unknown as typeof import('@tensorflow/tfjs');
}
