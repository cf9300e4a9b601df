import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnlearningError } from './errors';
import { exactResidualVector } from './exact-residual';
import { dirReader, f64, features, hessians, i32, PACKED_HESSIANS, readChecked, sha256, u8, type FileEntry, type ModelReader } from './model-file-arrays';
import type { NewtonModel, NoiseSource } from './model';
import { noiseCommitment } from './secret-noise';
import { sisaAssignments, type SisaModel } from './sisa';
import { toSharedF64 } from './shared';
import { packLowerTriangles } from './step-matrices';

/**
 * The on-disk model format (documented in README.md, "Model files"): a directory with
 *   model.json     kind, d, K, classes, parameters, sample ids, parent, and each file's sha256
 *   weights.f64    K rows of d + 1 little-endian float64 (the last column multiplies the constant 1/√2)
 *   center.f64     the public centring vector (d float64)
 * and the platform's caches beside them (never published to partners: noise.f64 holds the secret b,
 * noise-salt.bin the salt of its commitment; the platform stores both sealed):
 *   noise.f64, noise-salt.bin, hessians-lower.f64, residual.f64, gram.f64, features.f32, labels.i32
 * (hessians-lower.f64, the per-class step matrices, only where the model keeps them: step-matrices.ts).
 * Loading checks every digest and refuses a corrupted or unknown-version model.
 *
 * Version 2 (secret noise): `noise` says where b came from and commits to it; the parameters
 * have no noise seed (`subsampleSeed`, `shardSeed` are public choices). Version 1 files are still
 * read: their b was derived from `params.seed`, so they load as `noiseSource: 'seeded'`.
 *
 * Version 3 (issue 18, part 2): the preprocessed features are float32 (`features.f32`), half the
 * memory of a model. Earlier versions' `features.f64` load rounded to float32, and their residual
 * is then computed again on the rounded features (the stored one was computed on the float64
 * values), so that a removal starts from the exact residual of the data it works on.
 *
 * Version 4: the step matrices are stored as their lower triangles (`hessians-lower.f64`,
 * K × D(D + 1)/2 float64; step-matrices.ts), half of version 3's `hessians.f64` (K × D × D, still
 * read): at 100,000 × 1,000 × 128 a version is 123 MB instead of 190 MB to hash, write and fsync.
 * The loaded matrices are the same to the bit.
 */
export const FORMAT = 'forgetme-linear-head';
export const FORMAT_VERSION = 4;
const READS = [1, 2, 3, 4];

/** The files the platform seals at rest with the data key (the secret noise and its salt). */
export const SECRET_FILES = ['noise.f64', 'noise-salt.bin'] as const;

export function isSecretFile(name: string): boolean {
  return SECRET_FILES.some((f) => f === name);
}

export type SisaModelJson = {
  format: typeof FORMAT;
  formatVersion: number;
  kind: 'sisa';
  d: number;
  K: number;
  classes: string[];
  params: SisaModel['params'];
  sampleIds: string[];
  parent: { sha256: string } | null;
  createdAt: string;
  /** checkpoints: S × R × K × D float64 (shard-major; the last slice of each shard is its head); present: S × K bytes. */
  files: Record<'checkpoints' | 'center' | 'present' | 'features' | 'labels', FileEntry>;
};

export type ModelJson = {
  format: typeof FORMAT;
  formatVersion: number;
  kind: 'newton-certified';
  d: number;
  K: number;
  classes: string[];
  params: NewtonModel['params'];
  /** Where b came from, and (secret noise) its hiding commitment SHA-256(domain ‖ salt ‖ b). */
  noise: { source: NoiseSource; commitment: string | null };
  hessiansExact: boolean;
  budgetUsed: number;
  residual: number;
  sampleIds: string[];
  parent: { sha256: string } | null;
  createdAt: string;
  files: Record<'weights' | 'center' | 'noise' | 'residual' | 'gram' | 'features' | 'labels', FileEntry> & { noiseSalt?: FileEntry; hessians?: FileEntry };
};

if (os.endianness() !== 'LE') throw new Error('the model format is little-endian; this machine is big-endian');

function bytesOf(a: Float64Array | Float32Array | Int32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A model's files by name (model.json included), as they are stored: the format without a directory. */
export type ModelFiles = Map<string, Buffer>;

function addFiles<N extends string>(out: ModelFiles, blobs: Record<N, Buffer>, fileName: (name: N) => string): Record<N, FileEntry> {
  const files = {} as Record<N, FileEntry>;
  for (const [name, buf] of Object.entries(blobs) as [N, Buffer][]) {
    const file = fileName(name);
    out.set(file, buf);
    files[name] = { file, sha256: sha256(buf), bytes: buf.length };
  }
  return files;
}

function withJson<J>(out: ModelFiles, json: J): J {
  out.set('model.json', Buffer.from(JSON.stringify(json, null, 1)));
  return json;
}

/** Writes encoded files as a directory, atomically: into a temporary sibling, then renamed. */
function writeDir(dir: string, files: ModelFiles): void {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  for (const [name, buf] of files) fs.writeFileSync(path.join(/*turbopackIgnore: true*/ tmp, name), buf);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
}

export type Encoded<J> = { files: ModelFiles; json: J; weightsSha256: string };

/** Encodes a SISA model into its files (the arrays are viewed, not copied). */
export function encodeSisaModel(m: SisaModel, meta: { parent?: { sha256: string } | null } = {}): Encoded<SisaModelJson> {
  const out: ModelFiles = new Map();
  const D = m.d + 1;
  const K = m.classes.length;
  const S = m.params.shards;
  const R = m.params.slices;
  const checkpoints = new Float64Array(S * R * K * D);
  const present = new Uint8Array(S * K);
  m.shards.forEach((sh, s) => {
    sh.checkpoints.forEach((c, r) => checkpoints.set(c, (s * R + r) * K * D));
    present.set(sh.present, s * K);
  });
  const files = addFiles(
    out,
    { checkpoints: bytesOf(checkpoints), center: bytesOf(m.center), present: bytesOf(present), features: bytesOf(m.x), labels: bytesOf(m.label) },
    (n) => (n === 'labels' ? 'labels.i32' : n === 'present' ? 'present.u8' : n === 'features' ? 'features.f32' : `${n}.f64`),
  );
  const json: SisaModelJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    kind: 'sisa',
    d: m.d,
    K,
    classes: m.classes,
    params: m.params,
    sampleIds: m.ids,
    parent: meta.parent ?? null,
    createdAt: new Date().toISOString(),
    files,
  };
  return { files: out, json: withJson(out, json), weightsSha256: files.checkpoints.sha256 };
}

/** Writes a SISA model directory; returns the digest of its checkpoints (its weights). */
export function saveSisaModel(dir: string, m: SisaModel, meta: { parent?: { sha256: string } | null } = {}): string {
  const encoded = encodeSisaModel(m, meta);
  writeDir(dir, encoded.files);
  return encoded.weightsSha256;
}

type NewtonMeta = { parent?: { sha256: string } | null; residual: number; budget: number };

/** Encodes a newton-certified model into its files (the arrays are viewed, not copied). */
export function encodeModel(m: NewtonModel, meta: NewtonMeta): Encoded<ModelJson> {
  const out: ModelFiles = new Map();
  const K = m.classes.length;
  const D = m.d + 1;
  const blobs = {
    weights: bytesOf(m.weights),
    center: bytesOf(m.center),
    noise: bytesOf(m.noise),
    residual: bytesOf(m.residual),
    gram: bytesOf(m.gram),
    features: bytesOf(m.x),
    labels: bytesOf(m.label),
  };
  const files: ModelJson['files'] = {
    ...addFiles(out, blobs, (n) => (n === 'labels' ? 'labels.i32' : n === 'features' ? 'features.f32' : `${n}.f64`)),
    ...(m.noiseSalt.length ? addFiles(out, { noiseSalt: Buffer.from(m.noiseSalt) }, () => 'noise-salt.bin') : {}),
    ...(m.hessians ? addFiles(out, { hessians: bytesOf(packLowerTriangles(m.hessians, K, D)) }, () => PACKED_HESSIANS) : {}),
  };
  const json: ModelJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    kind: m.kind,
    d: m.d,
    K,
    classes: m.classes,
    params: m.params,
    noise: { source: m.noiseSource, commitment: m.noiseSalt.length ? noiseCommitment(m.noise, m.noiseSalt) : null },
    hessiansExact: m.hessiansExact,
    budgetUsed: meta.residual / meta.budget,
    residual: meta.residual,
    sampleIds: m.ids,
    parent: meta.parent ?? null,
    createdAt: new Date().toISOString(),
    files,
  };
  return { files: out, json: withJson(out, json), weightsSha256: files.weights.sha256 };
}

/** Writes a model directory (atomically: into a temporary sibling, then renamed). Returns the weights' digest. */
export function saveModel(dir: string, m: NewtonModel, meta: NewtonMeta): string {
  const encoded = encodeModel(m, meta);
  writeDir(dir, encoded.files);
  return encoded.weightsSha256;
}

export { dirReader, type ModelReader };

export type LoadedModel = { model: NewtonModel; json: ModelJson } | { model: SisaModel; json: SisaModelJson };

/** A model in memory with the model.json its files were encoded with, as one LoadedModel (the kinds must agree). */
export function loadedOf(model: NewtonModel | SisaModel, json: AnyModelJson): LoadedModel {
  if (model.kind === 'sisa' && json.kind === 'sisa') return { model, json };
  if (model.kind === 'newton-certified' && json.kind === 'newton-certified') return { model, json };
  throw new UnlearningError('model_corrupt', `a ${model.kind} model cannot go with a ${json.kind} model.json`);
}

/** Loads a model directory of either kind, checking the format version, the shapes and every file's digest. */
export function loadAnyModel(dir: string): LoadedModel {
  return decodeAnyModel(dirReader(dir));
}

/** Decodes a model of either kind from its files, checking the format version, the shapes and every file's digest. */
export function decodeAnyModel(r: ModelReader): LoadedModel {
  const json = parseModelJson(r);
  if (json.kind === 'sisa') return decodeSisa(r, json);
  return decodeModel(r);
}

export type AnyModelJson = ModelJson | SisaModelJson;
/** A version-1 model.json: one `seed` for the noise and the subsample (or the shards), no `noise` entry. */
type V1Json = (Omit<ModelJson, 'noise' | 'params'> | Omit<SisaModelJson, 'params'>) & { params: Record<string, number> };

/** A model directory's model.json, checked for format and version (version 1 read as 2); the files are not read. */
export function readModelJson(dir: string): AnyModelJson {
  return parseModelJson(dirReader(dir));
}

/** A model's model.json, checked for format and version (version 1 read as 2); the other files are not read. */
export function parseModelJson(r: ModelReader): AnyModelJson {
  const dir = r.where;
  let json: AnyModelJson | V1Json;
  try {
    const bytes = r.read('model.json');
    if (!bytes) throw new Error('the file is missing');
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UnlearningError('model_corrupt', `cannot read model.json of ${dir}: ${(err as Error).message}`);
  }
  if (json.format !== FORMAT) throw new UnlearningError('model_unsupported', `${dir} is not a forgetme model (format ${JSON.stringify(json.format)})`);
  if (!READS.includes(json.formatVersion)) {
    throw new UnlearningError('model_unsupported', `model format version ${json.formatVersion} is not supported (this version reads ${READS.join(' and ')})`);
  }
  return json.formatVersion === 1 ? upgradeV1(json as V1Json) : (json as AnyModelJson);
}

/** A version-1 model.json read as version 2: its noise came from `params.seed`, which chose the subsample (or the shards) too. */
function upgradeV1(json: V1Json): AnyModelJson {
  const { seed = 0, lambda, ...rest } = json.params;
  if (json.kind === 'sisa') return { ...json, kind: 'sisa', params: { shards: rest.shards, slices: rest.slices, lambda, shardSeed: seed } };
  const params = { lambda, sigma: rest.sigma, epsilon: rest.epsilon, delta: rest.delta, subsample: rest.subsample, subsampleSeed: seed };
  return { ...json, kind: 'newton-certified', params, noise: { source: 'seeded', commitment: null } };
}

function decodeSisa(r: ModelReader, json: SisaModelJson): { model: SisaModel; json: SisaModelJson } {
  const D = json.d + 1;
  const K = json.K;
  const { shards: S, slices: R } = json.params;
  const f = json.files;
  const checkpoints = f64(readChecked(r, f.checkpoints));
  const present = u8(readChecked(r, f.present));
  if (checkpoints.length !== S * R * K * D || present.length !== S * K)
    throw new UnlearningError('model_corrupt', `checkpoints or present have the wrong size for ${S} shards × ${R} slices × ${K} classes`);
  const ids = json.sampleIds;
  const x = features(readChecked(r, f.features), f.features);
  const label = i32(readChecked(r, f.labels));
  if (x.length !== ids.length * D || label.length !== ids.length) throw new UnlearningError('model_corrupt', 'features or labels do not match the sample ids');
  const model: SisaModel = {
    kind: 'sisa',
    d: json.d,
    center: f64(readChecked(r, f.center)),
    params: json.params,
    classes: json.classes,
    ids,
    label,
    x,
    ...sisaAssignments(ids, json.params),
    shards: Array.from({ length: S }, (_, s) => ({
      checkpoints: Array.from({ length: R }, (_, r) => checkpoints.slice((s * R + r) * K * D, (s * R + r + 1) * K * D)),
      present: present.slice(s * K, (s + 1) * K),
    })),
  };
  return { model, json };
}

/** Loads a newton-certified model directory, checking the format version, the shapes and every file's digest. */
export function loadModel(dir: string): { model: NewtonModel; json: ModelJson } {
  return decodeModel(dirReader(dir));
}

/** Decodes a newton-certified model from its files, checking the format version, the shapes and every file's digest. */
export function decodeModel(r: ModelReader): { model: NewtonModel; json: ModelJson } {
  const json = parseModelJson(r);
  if (json.kind !== 'newton-certified') throw new UnlearningError('model_unsupported', `model kind ${json.kind} is not supported here`);
  const D = json.d + 1;
  const K = json.K;
  const n = json.sampleIds.length;
  const f = json.files;
  const model: NewtonModel = {
    kind: 'newton-certified',
    d: json.d,
    classes: json.classes,
    params: json.params,
    noiseSource: json.noise.source,
    noiseSalt: f.noiseSalt ? new Uint8Array(readChecked(r, f.noiseSalt)) : new Uint8Array(0),
    hessiansExact: json.hessiansExact,
    ids: json.sampleIds,
    center: f64(readChecked(r, f.center)),
    weights: f64(readChecked(r, f.weights)),
    noise: f64(readChecked(r, f.noise)),
    hessians: f.hessians ? hessians(readChecked(r, f.hessians), f.hessians, K, D) : null,
    residual: f64(readChecked(r, f.residual)),
    gram: f64(readChecked(r, f.gram)),
    x: features(readChecked(r, f.features), f.features),
    label: i32(readChecked(r, f.labels)),
  };
  const shapes: [string, number, number][] = [
    ['weights', model.weights.length, K * D],
    ['hessians', model.hessians?.length ?? K * D * D, K * D * D],
    ['features', model.x.length, n * D],
    ['labels', model.label.length, n],
    ['center', model.center.length, json.d],
  ];
  for (const [name, got, want] of shapes) if (got !== want) throw new UnlearningError('model_corrupt', `${name} holds ${got} values, expected ${want}`);
  if (f.features.file.endsWith('.f64')) {
    // Rounded on loading: the stored residual and step matrices were computed on the float64 values.
    model.residual = toSharedF64(exactResidualVector(model));
    model.hessiansExact = false;
  }
  return { model, json };
}
