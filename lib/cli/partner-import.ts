import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/errors/app-error';
import { parseManifest, type ManifestRow } from '@/lib/datasets/manifest';
import { partnerApi } from './partner-api-client';

export type ImportOptions = {
  apiUrl: string;
  apiKey: string;
  dir: string;
  manifest: string;
  datasetId?: string;
  createDataset?: string;
  batch: number;
  wait: boolean;
  log: (line: Record<string, unknown>) => void;
};

type Upload = { id: string; status: string; created: number; processed: number; failed: number; skipped: unknown[] };

/**
 * `forgetme partner import`: sends a folder of images with its manifest to the partner API in
 * batches. Resumable: the batches already accepted are recorded in a state file beside the
 * manifest and not sent again, and every batch carries an Idempotency-Key derived from its
 * content, so a batch re-sent after a lost response is not imported twice (the server also skips
 * external ids it already has).
 */
export async function partnerImport(o: ImportOptions): Promise<{ datasetId: string; batches: number; sent: number; skipped: number; uploads: Upload[] }> {
  const rows = parseManifest(fs.readFileSync(o.manifest, 'utf8'));
  for (const r of rows) {
    const file = path.resolve(o.dir, r.file);
    if (!file.startsWith(path.resolve(o.dir) + path.sep)) throw new AppError('validation_failed', `The manifest's file "${r.file}" is outside ${o.dir}.`);
    if (!fs.existsSync(file)) throw new AppError('validation_failed', `The manifest names "${r.file}", which is not in ${o.dir}. Nothing was sent.`);
  }
  const call = partnerApi(o.apiUrl, o.apiKey);

  let datasetId = o.datasetId;
  if (!datasetId) {
    if (!o.createDataset) throw new AppError('validation_failed', 'Name the dataset: --dataset ID, or --create-dataset NAME.');
    const key = `cli-create-${crypto
      .createHash('sha256')
      .update(`${o.createDataset}\n${path.resolve(o.manifest)}`)
      .digest('hex')
      .slice(0, 32)}`;
    datasetId = (await call<{ dataset: { id: string } }>('POST', '/datasets', { json: { name: o.createDataset }, key })).dataset.id;
    o.log({ event: 'dataset', datasetId, name: o.createDataset });
  }
  const stateFile = `${o.manifest}.forgetme-import-${datasetId}.json`;
  const state: { done: string[] } = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : { done: [] };
  const batches: ManifestRow[][] = [];
  for (let i = 0; i < rows.length; i += o.batch) batches.push(rows.slice(i, i + o.batch));
  const uploads: Upload[] = [];
  let sent = 0;
  for (const [i, b] of batches.entries()) {
    const digest = crypto.createHash('sha256');
    for (const r of b) digest.update(`${r.externalId}\u0000${r.label}\u0000${r.file}\n`);
    const batchKey = `cli-${datasetId}-${digest.digest('hex').slice(0, 40)}`;
    if (state.done.includes(batchKey)) {
      o.log({ event: 'batch', batch: i + 1, of: batches.length, status: 'already sent' });
      continue;
    }
    const form = new FormData();
    form.append(
      'manifest',
      new Blob(['external_id,label,file\n' + b.map((r) => [r.externalId, r.label, r.file].map(csv).join(',')).join('\n')], { type: 'text/csv' }),
      'manifest.csv',
    );
    for (const r of b) form.append('files', new Blob([new Uint8Array(fs.readFileSync(path.resolve(o.dir, r.file)))]), r.file);
    const { upload } = await call<{ upload: Upload }>('POST', `/datasets/${datasetId}/uploads`, { form, key: batchKey });
    uploads.push(upload);
    sent += upload.created;
    state.done.push(batchKey);
    fs.writeFileSync(stateFile, JSON.stringify(state));
    o.log({ event: 'batch', batch: i + 1, of: batches.length, uploadId: upload.id, created: upload.created, skipped: upload.skipped.length });
  }
  if (o.wait) {
    for (const [i, u] of uploads.entries()) {
      for (;;) {
        const { upload } = await call<{ upload: Upload }>('GET', `/datasets/${datasetId}/uploads/${u.id}`);
        if (upload.status === 'completed') {
          uploads[i] = upload;
          o.log({ event: 'embedded', uploadId: u.id, processed: upload.processed, failed: upload.failed });
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
  return { datasetId, batches: batches.length, sent, skipped: uploads.reduce((s, u) => s + u.skipped.length, 0), uploads };
}

function csv(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
