import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '@/lib/errors/app-error';
import type { Command } from './commands';

const usageError = (m: string) => Object.assign(new TypeError(m), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `partner import --features FILE`: the vectors of a registered embedding model, checked, then sent in batches. */
async function importFeatures(
  values: { features: string; ids?: string; dataset?: string; 'embedding-model'?: string; batch?: string; manifest?: string },
  positionals: string[],
  api: { apiUrl: string; apiKey: string },
): Promise<number> {
  if (positionals.length || values.manifest) throw usageError('--features takes no DIR and no --manifest: the vectors name their items by external id');
  if (!values.dataset || !UUID.test(values.dataset)) throw usageError('--dataset must be the dataset id (a UUID)');
  const embeddingModelId = values['embedding-model'];
  if (!embeddingModelId || !UUID.test(embeddingModelId)) throw usageError('--embedding-model must be the registered embedding model id (a UUID)');
  const batch = Number(values.batch ?? '2000');
  if (!Number.isInteger(batch) || batch < 1 || batch > 20000) throw usageError('--batch must be an integer from 1 to 20000');
  if (!fs.existsSync(values.features)) throw usageError(`${values.features} does not exist`);
  if (values.ids && !fs.existsSync(values.ids)) throw usageError(`${values.ids} does not exist`);
  const { partnerImportFeatures } = await import('./partner-import-features');
  const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
  const r = await partnerImportFeatures({ ...api, file: values.features, ids: values.ids, datasetId: values.dataset, embeddingModelId, batch, log }).catch(
    (err: unknown) => {
      // Every refused vector on its own line (the first 100), before the error that stops the command.
      const refusals = err instanceof AppError ? (err.details?.refusals as Record<string, unknown>[] | undefined) : undefined;
      for (const x of refusals ?? []) log({ event: 'refused', ...x });
      throw err;
    },
  );
  const { withVector, withoutVector, missing } = r.coverage;
  log({ event: 'done', vectors: r.vectors, batches: r.batches, stored: r.stored, unchanged: r.unchanged, withVector, withoutVector });
  if (withoutVector) log({ event: 'missing', withoutVector, items: missing.map((m) => m.externalId) });
  return 0;
}

/** `forgetme partner …`: a partner's side of the API, for scripts (README.md, "CLI"). */
export const PARTNER_COMMANDS: Command[] = [
  {
    name: 'partner import',
    usage:
      'partner import DIR --manifest labels.csv (--dataset ID | --create-dataset NAME) [--batch 200] [--no-wait]\n' +
      '       forgetme partner import --features FILE --dataset ID --embedding-model ID [--ids FILE] [--batch 2000]',
    summary: "Upload a folder of labelled face images, or your own embedding model's vectors of them, to a training set (resumable).",
    help: [
      'Sends the images of DIR named by the manifest (CSV external_id,label,file; file relative to DIR) to',
      'FORGETME_API_URL with FORGETME_API_KEY (scope datasets:write), in batches. Interrupted? Run it again:',
      'accepted batches are remembered next to the manifest and not sent twice. Prints JSON lines; waits',
      'until every batch is embedded unless --no-wait.',
      "With --features: sends your embedding model's vector of each item (register the model first: POST",
      '/api/v1/embedding-models). FILE is JSON lines, {"id": "<external id>", "vector": [numbers]} per line, or a',
      ".npy array (float32 or float64, one row per item) with --ids FILE naming each row's external id, one per",
      'line. Every vector is checked first and nothing is sent if any is bad (each named by line and item);',
      'resumable like images. Ends by listing the items that still have no vector.',
    ].join('\n'),
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          manifest: { type: 'string' },
          dataset: { type: 'string' },
          'create-dataset': { type: 'string' },
          batch: { type: 'string' },
          'no-wait': { type: 'boolean', default: false },
          features: { type: 'string' },
          ids: { type: 'string' },
          'embedding-model': { type: 'string' },
        },
      });
      const [{ env }, { partnerImport }] = await Promise.all([import('@/lib/config/env'), import('./partner-import')]);
      const e = env();
      const bad = (m: string) => Object.assign(new TypeError(m), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      if (!e.apiUrl || !e.apiKey) throw bad('set FORGETME_API_URL and FORGETME_API_KEY (an API key with datasets:write)');
      if (values.features !== undefined) return importFeatures({ ...values, features: values.features }, positionals, { apiUrl: e.apiUrl, apiKey: e.apiKey });
      const batch = Number(values.batch ?? '200');
      if (positionals.length !== 1) throw bad('give exactly one DIR');
      if (!values.manifest) throw bad('--manifest is required');
      if (!Number.isInteger(batch) || batch < 1 || batch > 5000) throw bad('--batch must be an integer from 1 to 5000');
      const r = await partnerImport({
        apiUrl: e.apiUrl,
        apiKey: e.apiKey,
        dir: positionals[0],
        manifest: values.manifest,
        datasetId: values.dataset,
        createDataset: values['create-dataset'],
        batch,
        wait: !values['no-wait'],
        log: (line) => console.log(JSON.stringify(line)),
      });
      const failed = r.uploads.reduce((s, u) => s + u.failed, 0);
      console.log(JSON.stringify({ event: 'done', datasetId: r.datasetId, batches: r.batches, created: r.sent, skipped: r.skipped, failed }));
      return 0;
    },
  },
  {
    name: 'partner acknowledge',
    usage: 'partner acknowledge --model ID --version N --key deploy-key.pem --weights weights.f64',
    summary: 'Sign, with your own Ed25519 key, that a model version runs in production, and send the signature.',
    help: [
      'Fetches the deployment statement of version N from FORGETME_API_URL (API key with models:write), checks that the',
      'weights file you deployed has the digest it names, signs it (DSSE, Ed25519) with the private key, which never leaves',
      'this machine, and sends the signature. Register the public half first (console, "Deployment keys", or',
      'POST /api/v1/deployment-keys); make a key with: openssl genpkey -algorithm ed25519 -out deploy-key.pem.',
      'The certificates the version puts into production then show "deployed by the partner, signed". Prints JSON.',
    ].join('\n'),
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: { model: { type: 'string' }, version: { type: 'string' }, key: { type: 'string' }, weights: { type: 'string' } },
      });
      const [{ env }, { partnerAcknowledge }] = await Promise.all([import('@/lib/config/env'), import('./partner-acknowledge')]);
      const e = env();
      const bad = (m: string) => Object.assign(new TypeError(m), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      if (!e.apiUrl || !e.apiKey) throw bad('set FORGETME_API_URL and FORGETME_API_KEY (an API key with models:write)');
      if (!values.model || !/^[0-9a-f-]{36}$/.test(values.model)) throw bad('--model must be the model id (a UUID)');
      const version = Number(values.version);
      if (!Number.isInteger(version) || version < 1) throw bad('--version must be a version number (1, 2, …)');
      if (!values.key) throw bad('--key is required: the PEM file of your Ed25519 private key');
      if (!values.weights) throw bad('--weights is required: the weights file you deployed (its digest is what you sign)');
      const ack = await partnerAcknowledge({
        apiUrl: e.apiUrl,
        apiKey: e.apiKey,
        modelId: values.model,
        version,
        keyFile: values.key,
        weightsFile: values.weights,
      });
      console.log(JSON.stringify({ event: 'acknowledged', ...ack, envelope: undefined }));
      return 0;
    },
  },
];
