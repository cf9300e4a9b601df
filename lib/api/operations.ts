import { z } from 'zod';
import { createDatasetSchema, datasetItemSchema, datasetSchema, ingestSchema } from '@/lib/datasets/schemas';
import { pageQuerySchema } from '@/lib/http/pagination';
import { createModelSchema, modelSchema, modelVersionSchema } from '@/lib/models/schemas';
import { partnerRequestSchema } from '@/lib/removals/partner-requests';
import { auditFilterSchema } from '@/lib/compliance/audit-query';
import { certificateFilterSchema, certificateRowSchema } from '@/lib/compliance/certificates-query';
import { pageOf } from './common-schemas';
import { acknowledgeDeployment, getDeploymentStatement, listDeploymentKeys, registerDeploymentKey, revokeDeploymentKey } from './deployment-operations';
import { getFeatureCoverage, listEmbeddingModels, registerEmbeddingModel, uploadFeatures } from './embedding-operations';
import {
  createEndpoint,
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  pingEndpoint,
  replayDelivery,
  rotateSecret,
  updateEndpoint,
} from './webhook-operations';
import { operation, read, write } from './define-operation';

export * from './deployment-operations';
export * from './embedding-operations';
export * from './webhook-operations';

const UPLOAD_BYTES = 512 * 1024 * 1024;

export const listDatasets = operation({
  id: 'listDatasets',
  method: 'get',
  path: '/datasets',
  tag: 'Datasets',
  summary: 'List datasets',
  auth: read('datasets:read'),
  query: pageQuerySchema,
  response: { status: 200, schema: pageOf(datasetSchema), description: 'A page of datasets, newest first.' },
});
export const createDataset = operation({
  id: 'createDataset',
  method: 'post',
  path: '/datasets',
  tag: 'Datasets',
  summary: 'Register a training set',
  auth: write('datasets:write'),
  body: createDatasetSchema,
  response: { status: 201, schema: z.object({ dataset: datasetSchema }), description: 'The new, empty dataset.' },
});
export const getDataset = operation({
  id: 'getDataset',
  method: 'get',
  path: '/datasets/{datasetId}',
  tag: 'Datasets',
  summary: 'A dataset with its counts',
  auth: read('datasets:read'),
  response: { status: 200, schema: z.object({ dataset: datasetSchema }), description: 'The dataset.' },
});
export const uploadItems = operation({
  id: 'uploadItems',
  method: 'post',
  path: '/datasets/{datasetId}/uploads',
  tag: 'Datasets',
  summary: 'Upload labelled images',
  description:
    'multipart/form-data with a `manifest` (CSV `external_id,label,file`) and either an `archive` (zip) holding the files, ' +
    "or the files themselves as `files` parts whose file names are the manifest's `file` values. " +
    'The upload is checked as a whole (every listed file present, archive paths safe, sizes bounded) before anything is stored; ' +
    'items whose external_id or image the dataset already has are skipped and listed. ' +
    'Embedding runs in the background: poll the upload, or wait for `dataset.ingested`.',
  auth: write('datasets:write'),
  multipart: {
    description: 'The manifest and the images.',
    fields: {
      manifest: { type: 'file', description: 'CSV with the header external_id,label,file.' },
      archive: { type: 'file', description: 'A zip of the images (paths as in the manifest).' },
      files: { type: 'file', description: 'The images, when not sent as an archive.', repeated: true },
    },
  },
  maxBodyBytes: UPLOAD_BYTES,
  response: { status: 202, schema: z.object({ upload: ingestSchema }), description: 'Accepted; embedding is queued.' },
});
export const listUploads = operation({
  id: 'listUploads',
  method: 'get',
  path: '/datasets/{datasetId}/uploads',
  tag: 'Datasets',
  summary: 'List uploads of a dataset',
  auth: read('datasets:read'),
  query: pageQuerySchema,
  response: { status: 200, schema: pageOf(ingestSchema), description: 'A page of uploads with their progress.' },
});
export const getUpload = operation({
  id: 'getUpload',
  method: 'get',
  path: '/datasets/{datasetId}/uploads/{uploadId}',
  tag: 'Datasets',
  summary: 'An upload and its progress',
  auth: read('datasets:read'),
  response: { status: 200, schema: z.object({ upload: ingestSchema }), description: 'The upload.' },
});
export const listItems = operation({
  id: 'listItems',
  method: 'get',
  path: '/datasets/{datasetId}/items',
  tag: 'Datasets',
  summary: 'List the items of a dataset',
  auth: read('datasets:read'),
  query: pageQuerySchema.extend({ status: z.enum(['pending', 'embedded', 'failed']).optional() }),
  response: { status: 200, schema: pageOf(datasetItemSchema), description: 'A page of items with their status and per-item error.' },
});

export const listModels = operation({
  id: 'listModels',
  method: 'get',
  path: '/models',
  tag: 'Models',
  summary: 'List models',
  auth: read('models:read'),
  query: pageQuerySchema.extend({ datasetId: z.uuid().optional() }),
  response: { status: 200, schema: pageOf(modelSchema), description: 'A page of models, newest first.' },
});
export const createModel = operation({
  id: 'createModel',
  method: 'post',
  path: '/models',
  tag: 'Models',
  summary: 'Create and train a model',
  description:
    "Trains a certified-removal (`newton-certified`) or exact-removal (`sisa`) identity head on the dataset's embedded items, in the background. " +
    '`model.trained` is sent when it is ready.',
  auth: write('models:write'),
  body: createModelSchema,
  response: { status: 202, schema: z.object({ model: modelSchema }), description: 'Accepted; training is queued.' },
});
export const getModel = operation({
  id: 'getModel',
  method: 'get',
  path: '/models/{modelId}',
  tag: 'Models',
  summary: 'A model, its training progress and latest version',
  auth: read('models:read'),
  response: { status: 200, schema: z.object({ model: modelSchema }), description: 'The model.' },
});
export const listVersions = operation({
  id: 'listVersions',
  method: 'get',
  path: '/models/{modelId}/versions',
  tag: 'Models',
  summary: 'Every version of a model',
  auth: read('models:read'),
  response: {
    status: 200,
    schema: z.object({ data: z.array(modelVersionSchema) }),
    description: 'Versions, newest first, with accuracy, budget used and reason.',
  },
});
export const getVersion = operation({
  id: 'getVersion',
  method: 'get',
  path: '/models/{modelId}/versions/{version}',
  tag: 'Models',
  summary: 'One model version',
  auth: read('models:read'),
  response: { status: 200, schema: z.object({ version: modelVersionSchema }), description: 'The version.' },
});
export const getVersionManifest = operation({
  id: 'getVersionManifest',
  method: 'get',
  path: '/models/{modelId}/versions/{version}/model.json',
  tag: 'Models',
  summary: 'How to use the weights',
  description:
    'The public part of model.json: format, kind, d, K, class labels in weight-row order, the centring vector, ' +
    'parameters (never the noise, which is secret and redrawn in every class a release touches) and the weights\' sha256. See the README, "Model files".',
  auth: read('models:read'),
  response: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'The manifest.' },
});
export const downloadWeights = operation({
  id: 'downloadWeights',
  method: 'get',
  path: '/models/{modelId}/versions/{version}/weights',
  tag: 'Models',
  summary: 'Download the weights',
  description:
    "Little-endian Float64: K rows of d + 1 (the last is the bias) for newton-certified; shards × K rows of d + 1 for sisa (average the shards' scores). " +
    'The `x-weights-sha256` header and the manifest carry its digest.',
  auth: read('models:read'),
  response: { status: 200, contentType: 'application/octet-stream', description: 'The weights.' },
});
export const listRemovalRequests = operation({
  id: 'listRemovalRequests',
  method: 'get',
  path: '/removal-requests',
  tag: 'Removal requests',
  summary: 'Removal requests that concern your models',
  description: 'One row per request and model: the items to remove (ids and your external ids) and where the removal stands. Never the person or their photos.',
  auth: read('requests:read'),
  query: pageQuerySchema,
  response: { status: 200, schema: pageOf(partnerRequestSchema), description: 'A page of removal tasks, newest first.' },
});

const COMPLIANCE = { roles: ['partner_compliance', 'partner_admin', 'auditor'], scopes: ['compliance:read'] } as const;

export const complianceCertificates = operation({
  id: 'listCertificates',
  method: 'get',
  path: '/compliance/certificates',
  tag: 'Compliance',
  summary: 'Removal certificates concerning your organisation',
  description:
    'Filter by issue date, model, dataset, method, or certificate/request id; sorted and paginated on the server. Platform auditors see every organisation.',
  auth: COMPLIANCE,
  query: certificateFilterSchema,
  response: {
    status: 200,
    schema: z.object({ data: z.array(certificateRowSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
    description: 'A page of certificates.',
  },
});
export const complianceCertificate = operation({
  id: 'getCertificate',
  method: 'get',
  path: '/compliance/certificates/{certificateId}',
  tag: 'Compliance',
  summary: "A certificate's facts and its verification now",
  auth: COMPLIANCE,
  response: {
    status: 200,
    schema: z.object({ certificate: z.record(z.string(), z.unknown()) }),
    description: 'The predicate and every check (signature, key validity, content, tree head, inclusion, consistency).',
  },
});
export const complianceCertificateBundle = operation({
  id: 'getCertificateBundle',
  method: 'get',
  path: '/compliance/certificates/{certificateId}/bundle',
  tag: 'Compliance',
  summary: 'certificate.json',
  auth: COMPLIANCE,
  response: { status: 200, contentType: 'application/json', description: 'The bundle: envelope, inclusion proof, signed tree head.' },
});
export const complianceCertificatePdf = operation({
  id: 'getCertificatePdf',
  method: 'get',
  path: '/compliance/certificates/{certificateId}/pdf',
  tag: 'Compliance',
  summary: 'certificate.pdf',
  auth: COMPLIANCE,
  response: { status: 200, contentType: 'application/pdf', description: 'The human-readable rendering.' },
});
export const complianceAuditEvents = operation({
  id: 'listAuditEvents',
  method: 'get',
  path: '/compliance/audit-events',
  tag: 'Compliance',
  summary: 'Audit events (hash-chained)',
  description: 'Oldest first by sequence number; pass the last `seq` as `after` for the next page.',
  auth: COMPLIANCE,
  query: auditFilterSchema,
  response: {
    status: 200,
    schema: z.object({ data: z.array(z.record(z.string(), z.unknown())), nextAfter: z.number().int().nullable() }),
    description: 'A page of events.',
  },
});
export const complianceAuditCsv = operation({
  id: 'exportAuditEventsCsv',
  method: 'get',
  path: '/compliance/audit-events.csv',
  tag: 'Compliance',
  summary: 'Export audit events as CSV (streamed)',
  description: 'The same filters as the list, every matching event, streamed: any size.',
  auth: COMPLIANCE,
  query: auditFilterSchema.omit({ after: true, limit: true }),
  response: { status: 200, contentType: 'text/csv', description: 'seq, at, actor, organisation, action, subject, data, prev_hash, hash.' },
});

export const OPERATIONS = [
  listDatasets,
  createDataset,
  getDataset,
  uploadItems,
  listUploads,
  getUpload,
  listItems,
  uploadFeatures,
  getFeatureCoverage,
  listEmbeddingModels,
  registerEmbeddingModel,
  listModels,
  createModel,
  getModel,
  listVersions,
  getVersion,
  getVersionManifest,
  downloadWeights,
  getDeploymentStatement,
  acknowledgeDeployment,
  listDeploymentKeys,
  registerDeploymentKey,
  revokeDeploymentKey,
  listRemovalRequests,
  listEndpoints,
  createEndpoint,
  getEndpoint,
  updateEndpoint,
  deleteEndpoint,
  rotateSecret,
  pingEndpoint,
  listDeliveries,
  getDelivery,
  replayDelivery,
  complianceCertificates,
  complianceCertificate,
  complianceCertificateBundle,
  complianceCertificatePdf,
  complianceAuditEvents,
  complianceAuditCsv,
] as const;
