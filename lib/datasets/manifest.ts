import { AppError } from '@/lib/errors/app-error';
import { requireStorableText } from '@/lib/http/text-checks';

export type ManifestRow = { externalId: string; label: string; file: string };

/** Rows one upload may carry. */
export const MAX_MANIFEST_ROWS = 20_000;

/**
 * Parses a manifest CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) with the header
 * `external_id,label,file` (columns in any order, extra columns ignored). Every problem is a
 * validation error naming the line, so a partner can fix the file.
 */
export function parseManifest(text: string): ManifestRow[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!records.length) throw invalid('The manifest is empty: it needs the header external_id,label,file and one line per image.');
  const header = records[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw invalid(`The manifest's header has no "${name}" column (expected external_id,label,file).`);
    return i;
  };
  const [ci, cl, cf] = [col('external_id'), col('label'), col('file')];
  const rows: ManifestRow[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    if (rec.length === 1 && rec[0].trim() === '') continue;
    const line = r + 1;
    const [externalId, label, file] = [rec[ci]?.trim() ?? '', rec[cl]?.trim() ?? '', rec[cf]?.trim() ?? ''];
    if (!externalId || !label || !file) throw invalid(`Line ${line} of the manifest needs an external_id, a label and a file.`);
    if (externalId.length > 200 || label.length > 200 || file.length > 500)
      throw invalid(`Line ${line} of the manifest has a value longer than allowed (200 characters; 500 for file).`);
    for (const [name, v] of [
      ['external_id', externalId],
      ['label', label],
      ['file', file],
    ] as const) {
      requireStorableText(v, `The ${name} on line ${line} of the manifest`, { singleLine: true });
    }
    const before = seen.get(externalId);
    if (before) throw invalid(`Line ${line} of the manifest repeats the external_id "${externalId}" of line ${before}.`);
    seen.set(externalId, line);
    rows.push({ externalId, label, file: file.replace(/^\.\//, '') });
    if (rows.length > MAX_MANIFEST_ROWS)
      throw new AppError('payload_too_large', `The manifest has more than ${MAX_MANIFEST_ROWS} images; split it into several uploads.`);
  }
  if (!rows.length) throw invalid('The manifest lists no images.');
  return rows;
}

function invalid(message: string): AppError {
  return new AppError('validation_failed', message);
}

function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw invalid('The manifest ends inside a quoted field: a closing quote is missing.');
  if (field !== '' || row.length) {
    row.push(field);
    out.push(row);
  }
  return out;
}
