import crypto from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { FEATURES_BYTES } from '@/lib/api/embedding-operations';
import { AppError } from '@/lib/errors/app-error';
import { npyHeader, NpyError, parseJsonLines, parseNpy, type ParsedFeatures } from '@/lib/embeddings/parse-features';
import type { EmbeddingModelView, FeatureCoverage, FeatureRefusal } from '@/lib/embeddings/schemas';
import { partnerApi } from './partner-api-client';

export type FeatureImportOptions = {
  apiUrl: string;
  apiKey: string;
  file: string;
  ids?: string;
  datasetId: string;
  embeddingModelId: string;
  batch: number;
  log: (line: Record<string, unknown>) => void;
};

/** One request's worth of a file: its bytes as sent, its lines (JSON lines) or ids (.npy), and the file line or row of each. */
type Batch = { features: Buffer; lines: string[] | null; ids: string[] | null; fileLines: number[] };

/** A batch's bytes at most: half the server's limit for one request (FEATURES_BYTES), whatever the dimension. */
export const BATCH_BYTES = FEATURES_BYTES / 2;

/** The batches of a JSON-lines file, read line by line (a file of millions of vectors is never held whole). */
async function* jsonBatches(file: string, size: number): AsyncGenerator<Batch> {
  let lines: string[] = [];
  let fileLines: number[] = [];
  let bytes = 0;
  let n = 0;
  const batch = (): Batch => ({ features: Buffer.from(lines.join('\n')), lines, ids: null, fileLines });
  for await (const text of readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    n++;
    if (!text.trim()) continue;
    const length = Buffer.byteLength(text) + 1;
    if (lines.length && (lines.length === size || bytes + length > BATCH_BYTES)) {
      yield batch();
      lines = [];
      fileLines = [];
      bytes = 0;
    }
    lines.push(text);
    fileLines.push(n);
    bytes += length;
  }
  if (lines.length) yield batch();
}

/** The batches of a .npy file, each a .npy of its rows with their ids, read from the file a batch at a time. */
async function* npyBatches(file: string, ids: string[], size: number): AsyncGenerator<Batch> {
  const fd = fs.openSync(file, 'r');
  try {
    const total = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(total, 65536));
    fs.readSync(fd, head, 0, head.length, 0);
    const h = npyHeader(head, total);
    if (ids.length !== h.rows) throw new NpyError(`The array has ${h.rows} rows and the ids file ${ids.length} ids; give one id per row, in order.`);
    const rowBytes = h.columns * h.bytesPerValue;
    const perBatch = Math.max(1, Math.min(size, Math.floor(BATCH_BYTES / rowBytes)));
    for (let start = 0; start < h.rows; start += perBatch) {
      const rows = Math.min(perBatch, h.rows - start);
      const data = Buffer.alloc(rows * rowBytes);
      fs.readSync(fd, data, 0, data.length, h.dataOffset + start * rowBytes);
      const fileLines = Array.from({ length: rows }, (_, i) => start + i + 1);
      yield { features: Buffer.concat([npyHeaderBytes(h.bytesPerValue, rows, h.columns), data]), lines: null, ids: ids.slice(start, start + rows), fileLines };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A version 1.0 .npy header for a C-ordered rows × columns little-endian float array, padded to a multiple of 64 bytes. */
export function npyHeaderBytes(bytesPerValue: 4 | 8, rows: number, columns: number): Buffer {
  let dict = `{'descr': '<f${bytesPerValue}', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
  dict += ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const out = Buffer.alloc(10 + dict.length);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(dict.length, 8);
  out.write(dict, 10, 'latin1');
  return out;
}

function batchesOf(o: FeatureImportOptions): AsyncGenerator<Batch> {
  const magic = Buffer.alloc(6);
  const fd = fs.openSync(o.file, 'r');
  fs.readSync(fd, magic, 0, 6, 0);
  fs.closeSync(fd);
  if (magic.toString('latin1') !== '\x93NUMPY') {
    if (o.ids) throw new AppError('validation_failed', '--ids goes with a .npy file only; JSON lines carry each id on its line.');
    return jsonBatches(o.file, o.batch);
  }
  if (!o.ids) throw new AppError('validation_failed', 'A .npy file needs --ids FILE: the external id of each row, one per line, in order.');
  return npyBatches(
    o.file,
    fs
      .readFileSync(o.ids, 'utf8')
      .replace(/\r?\n$/, '')
      .split(/\r?\n/),
    o.batch,
  );
}

/** A refusal with its line or row counted in the whole file, not in the batch it was sent in. */
const inFile = (r: FeatureRefusal, b: Batch): FeatureRefusal => ({ ...r, line: r.line === null ? null : (b.fileLines[r.line - 1] ?? r.line) });

function refused(refusals: FeatureRefusal[], what: string): AppError {
  const first = refusals[0];
  const where = `${first.line === null ? '' : `line ${first.line} `}${first.externalId === null ? '' : `(item "${first.externalId}")`}`;
  return new AppError('validation_failed', `${refusals.length} vector(s) ${what}. The first, ${where}: ${first.message}`, {
    refusals: refusals.slice(0, 100),
  });
}

/**
 * `forgetme partner import --features FILE`: checks every vector of a JSON-lines or .npy file
 * against the registered embedding model's dimension first (nothing is sent if any is bad, each
 * named by line and item), then sends it in batches. Resumable: accepted batches are recorded
 * beside the file and not sent again; each carries an Idempotency-Key from its content, and the
 * server leaves vectors an item already has as they are. Ends with the items still without one.
 */
export async function partnerImportFeatures(o: FeatureImportOptions) {
  const call = partnerApi(o.apiUrl, o.apiKey);
  const models = (await call<{ data: EmbeddingModelView[] }>('GET', '/embedding-models')).data;
  const model = models.find((m) => m.id === o.embeddingModelId);
  if (!model) throw new AppError('not_found', `No embedding model ${o.embeddingModelId} in your organisation (GET /api/v1/embedding-models lists them).`);

  const bad: FeatureRefusal[] = [];
  const seen = new Set<string>();
  let vectors = 0;
  for await (const b of batchesOf(o)) {
    const parsed: ParsedFeatures = b.lines ? await parseJsonLines(b.lines, model.dimension) : parseNpy(b.features, b.ids!, model.dimension);
    bad.push(...parsed.refusals.map((r) => inFile(r, b)));
    for (const v of parsed.vectors) {
      if (seen.has(v.externalId))
        bad.push(inFile({ line: v.line, externalId: v.externalId, code: 'duplicate_item', message: 'This item has a vector earlier in the file.' }, b));
      seen.add(v.externalId);
    }
    vectors += parsed.vectors.length;
  }
  if (bad.length) throw refused(bad, 'in the file were refused and nothing was sent');
  if (!vectors) throw new AppError('validation_failed', `${o.file} holds no vectors.`);

  const stateFile = `${o.file}.forgetme-features-${o.datasetId}-${model.id}.json`;
  const state: { done: string[] } = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : { done: [] };
  let stored = 0;
  let unchanged = 0;
  let batches = 0;
  for await (const b of batchesOf(o)) {
    batches++;
    const digest = crypto
      .createHash('sha256')
      .update(b.features)
      .update(b.ids?.join('\n') ?? '');
    const key = `cli-features-${o.datasetId}-${model.id}-${digest.digest('hex').slice(0, 32)}`;
    if (state.done.includes(key)) {
      o.log({ event: 'batch', batch: batches, status: 'already sent' });
      continue;
    }
    const form = new FormData();
    form.append('embeddingModelId', model.id);
    form.append('features', new Blob([new Uint8Array(b.features)]), b.lines ? 'features.jsonl' : 'features.npy');
    if (b.ids) form.append('ids', new Blob([b.ids.join('\n')]), 'ids.txt');
    let r: { stored: number; unchanged: number };
    try {
      r = await call('POST', `/datasets/${o.datasetId}/features`, { form, key });
    } catch (err) {
      const refusals = err instanceof AppError ? (err.details?.refusals as FeatureRefusal[] | undefined) : undefined;
      if (refusals?.length)
        throw refused(
          refusals.map((x) => inFile(x, b)),
          `of batch ${batches} were refused (earlier batches are stored)`,
        );
      throw err;
    }
    stored += r.stored;
    unchanged += r.unchanged;
    state.done.push(key);
    fs.writeFileSync(stateFile, JSON.stringify(state));
    o.log({ event: 'batch', batch: batches, stored: r.stored, unchanged: r.unchanged });
  }
  const query = `embeddingModelId=${encodeURIComponent(model.id)}`;
  const coverage = await call<FeatureCoverage>('GET', `/datasets/${o.datasetId}/features?${query}`);
  return { vectors, batches, stored, unchanged, coverage };
}
