import fs from 'node:fs';
import readline from 'node:readline';
import type { Samples } from './dataset';
import { UnlearningError } from './errors';

/**
 * Reads a features file: JSON lines `{"id": "...", "label": "...", "x": [d numbers]}`. Every line
 * must parse and have the same dimension; errors name the line. Labels may be omitted for
 * prediction (then they are empty strings).
 */
export async function readFeatures(file: string, opts: { requireLabels?: boolean } = {}): Promise<Samples> {
  if (!fs.existsSync(file)) throw new UnlearningError('bad_features', `${file}: no such file`);
  const ids: string[] = [];
  const labels: string[] = [];
  const values: number[] = [];
  let d = -1;
  let line = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    let row: { id?: unknown; label?: unknown; x?: unknown };
    try {
      row = JSON.parse(text);
    } catch (err) {
      throw new UnlearningError('bad_features', `${file}:${line}: not valid JSON (${(err as Error).message})`);
    }
    if (typeof row.id !== 'string' || !row.id) throw new UnlearningError('bad_features', `${file}:${line}: "id" must be a non-empty string`);
    if (opts.requireLabels !== false && (typeof row.label !== 'string' || !row.label))
      throw new UnlearningError('bad_features', `${file}:${line}: "label" must be a non-empty string`);
    if (!Array.isArray(row.x)) throw new UnlearningError('bad_features', `${file}:${line}: "x" must be an array of numbers`);
    if (d < 0) d = row.x.length;
    if (row.x.length !== d)
      throw new UnlearningError('bad_features', `${file}:${line}: expected ${d} numbers in "x" (as on the first line), got ${row.x.length}`);
    for (const v of row.x) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new UnlearningError('bad_features', `${file}:${line}: "x" holds ${JSON.stringify(v)}, not a finite number`);
      values.push(v);
    }
    ids.push(row.id);
    labels.push(typeof row.label === 'string' ? row.label : '');
  }
  if (!ids.length) throw new UnlearningError('bad_features', `${file}: no samples`);
  return { ids, labels, x: Float64Array.from(values), d };
}

/** One id per line; blank lines and lines starting with # are ignored. */
export function readIds(file: string): string[] {
  if (!fs.existsSync(file)) throw new UnlearningError('unknown_ids', `${file}: no such file`);
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
