/**
 * The texture anti-spoofing models that ship inside @vladmandic/human (`antispoof`, 128×128 input,
 * "real" score; `liveness`, 32×32 input), measured before relying on them (issue 15): their
 * scores on 30 genuine LFW photos against the same photos passed through a simulated screen
 * (sub-pixel stripes, moiré, gamma, blur, JPEG) and a simulated print (washed-out, blurred). If the
 * distributions overlap, the models cannot tell a recapture from a photo here, and the live
 * capture does not use them. What this cannot measure: real webcam frames against real screens
 * and prints, which this machine has neither of.
 *
 *   node --import tsx bench/texture-antispoof.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type * as tfjs from '@tensorflow/tfjs';
import { faceApi, tfOf } from '@/lib/faces/face-api';
import { embedImage } from '@/lib/faces/embed-image';
const dir = path.resolve('node_modules/@vladmandic/human/models');
const api = await faceApi();
const tf = tfOf(api);
async function load(name: string) {
  const m = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, `${name}.bin`));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const artifacts: tfjs.io.ModelArtifacts = {
    modelTopology: m.modelTopology,
    weightSpecs: m.weightsManifest[0].weights,
    weightData,
    format: m.format,
    generatedBy: m.generatedBy,
    convertedBy: m.convertedBy,
    signature: m.signature,
  };
  return tf.loadGraphModel(tf.io.fromMemory(artifacts));
}
const anti = await load('antispoof');
const live = await load('liveness');
async function scores(png: Buffer, box: number[]) {
  const meta = await sharp(png).metadata();
  const m = 0.15 * box[2];
  const left = Math.max(0, Math.round(box[0] - m)),
    top = Math.max(0, Math.round(box[1] - m));
  const w = Math.min(meta.width! - left, Math.round(box[2] + 2 * m)),
    h = Math.min(meta.height! - top, Math.round(box[3] + 2 * m));
  const { data, info } = await sharp(png)
    .extract({ left, top, width: w, height: h })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const t = tf.tidy(() => tf.tensor3d(new Uint8Array(data), [info.height, info.width, info.channels]).toFloat().div(255).expandDims(0) as tfjs.Tensor4D);
  const a = tf.tidy(() => anti.execute(tf.image.resizeBilinear(t, [128, 128])) as tfjs.Tensor);
  const l = tf.tidy(() => live.execute(tf.image.resizeBilinear(t, [32, 32])) as tfjs.Tensor);
  const r = [(await a.data())[0], (await l.data())[0]];
  tf.dispose([t, a, l]);
  return r;
}
async function screen(buf: Buffer) {
  const img = sharp(buf).removeAlpha().toColourspace('srgb');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const out = Buffer.alloc(data.length);
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * info.width + x) * 3 + c;
        const moire = 18 * Math.sin((x * 0.9 + y * 0.35) * 1.7) * Math.sin(y * 1.3);
        const sub = x % 3 === c ? 1.12 : 0.9;
        out[i] = Math.max(0, Math.min(255, Math.pow(data[i] / 255, 0.8) * 255 * sub + moire));
      }
  return sharp(out, { raw: { width: info.width, height: info.height, channels: 3 } })
    .blur(0.8)
    .jpeg({ quality: 70 })
    .toBuffer();
}
async function print(buf: Buffer) {
  return sharp(buf)
    .removeAlpha()
    .toColourspace('srgb')
    .modulate({ saturation: 0.7, brightness: 1.08 })
    .linear(0.75, 30)
    .blur(1.1)
    .jpeg({ quality: 75 })
    .toBuffer();
}
const root = '../shared/data/faces/lfw-train';
const people = fs.readdirSync(root).sort().slice(0, 30);
const rows: Record<string, number[][]> = { genuine: [], screen: [], print: [] };
for (const p of people) {
  const f = path.join(root, p, fs.readdirSync(path.join(root, p)).sort()[0]);
  const buf = fs.readFileSync(f);
  const r = await embedImage(buf);
  if (!r.ok || r.faces.length !== 1) continue;
  const box = r.faces[0].box;
  rows.genuine.push(await scores(buf, box));
  rows.screen.push(await scores(await screen(buf), box));
  rows.print.push(await scores(await print(buf), box));
}
for (const [k, v] of Object.entries(rows)) {
  const a = v.map((x) => x[0]).sort((x, y) => x - y),
    l = v.map((x) => x[1]).sort((x, y) => x - y);
  const q = (s: number[], p: number) => s[Math.floor(p * (s.length - 1))].toFixed(3);
  console.log(
    JSON.stringify({
      images: k,
      n: v.length,
      antispoof: { p10: q(a, 0.1), p50: q(a, 0.5), p90: q(a, 0.9) },
      liveness: { p10: q(l, 0.1), p50: q(l, 0.5), p90: q(l, 0.9) },
    }),
  );
}
