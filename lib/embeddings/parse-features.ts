import { unstorableText } from '@/lib/http/text-checks';
import type { FeatureRefusal } from './schemas';

/** One vector read from an upload, for the item the partner calls `externalId`. */
export type ParsedVector = { line: number; externalId: string; vector: Float32Array };
export type ParsedFeatures = { vectors: ParsedVector[]; refusals: FeatureRefusal[] };

const MAX_ID = 500;

/**
 * The values of one vector as float32, or why they cannot be one: the wrong length, a value that
 * is not a finite number or overflows float32 (JSON's 1e400 reads as Infinity), or all zeros (no
 * direction: the head normalises each vector).
 */
function toVector(values: ArrayLike<unknown>, dimension: number, line: number, externalId: string): ParsedVector | FeatureRefusal {
  const refuse = (code: FeatureRefusal['code'], message: string): FeatureRefusal => ({ line, externalId, code, message });
  if (values.length !== dimension) return refuse('wrong_dimension', `The vector has ${values.length} values; the embedding model's dimension is ${dimension}.`);
  const vector = new Float32Array(dimension);
  let nonzero = false;
  for (let j = 0; j < dimension; j++) {
    const v = values[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) return refuse('not_finite', `Value ${j + 1} is ${JSON.stringify(v) ?? String(v)}, not a finite number.`);
    vector[j] = v;
    if (!Number.isFinite(vector[j])) return refuse('not_finite', `Value ${j + 1} (${v}) is outside the range of a 32-bit float.`);
    if (vector[j] !== 0) nonzero = true;
  }
  if (!nonzero) return refuse('zero_vector', 'The vector is all zeros: it has no direction, and the identity head normalises every vector.');
  return { line, externalId, vector };
}

const isRefusal = (r: ParsedVector | FeatureRefusal): r is FeatureRefusal => 'code' in r;

/** The item id as given: a string of printable characters, like a manifest's external_id. */
function externalIdOf(raw: unknown): string | null {
  return typeof raw === 'string' && raw.length > 0 && raw.length <= MAX_ID && unstorableText(raw, { singleLine: true }) === null ? raw : null;
}

/**
 * One line of a JSON-lines upload: `{"id": "<external id>", "vector": [numbers]}`. Blank lines are
 * allowed (a trailing newline); anything else that is not such an object is refused by line.
 */
export function parseFeatureLine(text: string, line: number, dimension: number): ParsedVector | FeatureRefusal | null {
  if (!text.trim()) return null;
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    return { line, externalId: null, code: 'bad_line', message: 'The line is not JSON; each line is {"id": "<external id>", "vector": [numbers]}.' };
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row))
    return { line, externalId: null, code: 'bad_line', message: 'The line is not a JSON object; each line is {"id": "<external id>", "vector": [numbers]}.' };
  const fields = row as Record<string, unknown>;
  const externalId = externalIdOf(fields.id);
  if (externalId === null)
    return { line, externalId: null, code: 'bad_line', message: `"id" must be the item's external id: text of 1 to ${MAX_ID} printable characters.` };
  if (!Array.isArray(fields.vector)) return { line, externalId, code: 'bad_line', message: '"vector" must be an array of numbers.' };
  const extra = Object.keys(fields).filter((k) => k !== 'id' && k !== 'vector');
  if (extra.length) return { line, externalId, code: 'bad_line', message: `Unknown field(s): ${extra.join(', ')}; a line holds "id" and "vector" only.` };
  return toVector(fields.vector, dimension, line, externalId);
}

/** Every line of a JSON-lines upload, each vector checked; a second vector for one item is refused. */
export async function parseJsonLines(lines: AsyncIterable<string> | Iterable<string>, dimension: number): Promise<ParsedFeatures> {
  const out: ParsedFeatures = { vectors: [], refusals: [] };
  const seen = new Set<string>();
  let line = 0;
  for await (const text of lines) {
    line++;
    const r = parseFeatureLine(text, line, dimension);
    if (r) add(out, seen, r);
  }
  return out;
}

function add(out: ParsedFeatures, seen: Set<string>, r: ParsedVector | FeatureRefusal): void {
  if (isRefusal(r)) out.refusals.push(r);
  else if (seen.has(r.externalId))
    out.refusals.push({ line: r.line, externalId: r.externalId, code: 'duplicate_item', message: 'This item has a vector earlier in the same upload.' });
  else {
    seen.add(r.externalId);
    out.vectors.push(r);
  }
}

export class NpyError extends Error {}

/**
 * The header of a NumPy .npy file (format 1.0 to 3.0): a C-ordered 2-D array of little-endian
 * float32 or float64. `totalBytes`: the whole file's size, when `buf` holds only its beginning.
 */
export function npyHeader(buf: Buffer, totalBytes = buf.length): { rows: number; columns: number; bytesPerValue: 4 | 8; dataOffset: number } {
  if (buf.length < 10 || buf.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new NpyError('The file is not a NumPy .npy array (no \\x93NUMPY magic).');
  const major = buf[6];
  if (major < 1 || major > 3) throw new NpyError(`.npy format version ${major} is not supported (1 to 3 are).`);
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (buf.length < start + headerLength) throw new NpyError('The .npy header is cut short.');
  const header = buf.subarray(start, start + headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)/.exec(header);
  if (descr !== '<f4' && descr !== '<f8')
    throw new NpyError(`The array's dtype is ${descr ?? 'unreadable'}; send little-endian float32 (<f4) or float64 (<f8).`);
  if (fortran !== 'False') throw new NpyError('The array is in Fortran order; send it C-ordered (numpy.ascontiguousarray).');
  if (!shape) throw new NpyError('The array must be 2-D: one row per item, one column per value.');
  const bytesPerValue = descr === '<f4' ? 4 : 8;
  const rows = Number(shape[1]);
  const columns = Number(shape[2]);
  const dataOffset = start + headerLength;
  if (totalBytes !== dataOffset + rows * columns * bytesPerValue)
    throw new NpyError(`The array's data is ${totalBytes - dataOffset} bytes; a ${rows} × ${columns} ${descr} array is ${rows * columns * bytesPerValue}.`);
  return { rows, columns, bytesPerValue, dataOffset };
}

/** A .npy array's rows, row i for the item ids[i] (the upload's `ids` part, one external id per line). */
export function parseNpy(buf: Buffer, ids: string[], dimension: number): ParsedFeatures {
  const h = npyHeader(buf);
  if (ids.length !== h.rows) throw new NpyError(`The array has ${h.rows} rows and the ids part ${ids.length} ids; send one id per row, in order.`);
  const out: ParsedFeatures = { vectors: [], refusals: [] };
  const seen = new Set<string>();
  const view = new DataView(buf.buffer, buf.byteOffset + h.dataOffset, h.rows * h.columns * h.bytesPerValue);
  const values = new Float64Array(h.columns);
  for (let i = 0; i < h.rows; i++) {
    const externalId = externalIdOf(ids[i]);
    if (externalId === null) {
      out.refusals.push({
        line: i + 1,
        externalId: null,
        code: 'bad_line',
        message: `Id ${i + 1} must be an external id: 1 to ${MAX_ID} printable characters.`,
      });
      continue;
    }
    for (let j = 0; j < h.columns; j++) {
      const at = (i * h.columns + j) * h.bytesPerValue;
      values[j] = h.bytesPerValue === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
    }
    add(out, seen, toVector(values, dimension, i + 1, externalId));
  }
  return out;
}
