import { z } from 'zod';
import { embeddingModelSchema, featureCoverageQuery, featureCoverageSchema, featureImportSchema, registerEmbeddingModelSchema } from '@/lib/embeddings/schemas';
import { operation, read, write } from './define-operation';

/**
 * A features upload: 1,600 to 3,000 vectors of 512 values as JSON lines (by the digits each value
 * carries), 8,000 as float32 .npy. The upload is parsed in memory, so this limit is what bounds a
 * request's memory; the CLI sends larger files in batches of half this.
 */
export const FEATURES_BYTES = 16 * 1024 * 1024;

/** The partner API's operations for bringing your own embeddings (operations.ts lists them). */
export const listEmbeddingModels = operation({
  id: 'listEmbeddingModels',
  method: 'get',
  path: '/embedding-models',
  tag: 'Models',
  summary: 'Your registered embedding models',
  description: 'The embedding networks whose vectors your models can be trained on, newest first.',
  auth: read('models:read'),
  response: { status: 200, schema: z.object({ data: z.array(embeddingModelSchema) }), description: 'The embedding models.' },
});
export const registerEmbeddingModel = operation({
  id: 'registerEmbeddingModel',
  method: 'post',
  path: '/embedding-models',
  tag: 'Models',
  summary: 'Register your own embedding model',
  description:
    'Name, version, dimension (64 to 2,048) and a statement of what data the network was trained on. Then upload, for the items of a ' +
    "dataset, the network's vector of each image (`POST /datasets/{datasetId}/features`) and create a model with `embeddingModelId`: " +
    'forgetme trains and unlearns the identity head on your vectors, and still finds a person with its own descriptor of the images. ' +
    'The statement appears in the scope of every certificate of such a model: the guarantee covers the head, and assumes the network never ' +
    'saw the removed photos. The same registration sent again returns the existing one (200); other values under the same name and version are a conflict.',
  auth: write('models:write'),
  body: registerEmbeddingModelSchema,
  response: { status: 201, schema: z.object({ embeddingModel: embeddingModelSchema }), description: 'The registered embedding model.' },
});
export const uploadFeatures = operation({
  id: 'uploadFeatures',
  method: 'post',
  path: '/datasets/{datasetId}/features',
  tag: 'Datasets',
  summary: "Upload your embedding model's vectors of a dataset's items",
  description:
    'multipart/form-data: `embeddingModelId`, and `features`, either JSON lines (`{"id": "<external id>", "vector": [numbers]}` per line) ' +
    "or a NumPy .npy array (C-ordered, little-endian float32 or float64, one row per item) with an `ids` part naming each row's external id, " +
    'one per line. All or nothing: a vector of the wrong length, with a value that is not a finite float32, all zeros, for an unknown or removed ' +
    'item, twice in one upload, or different from the one the item already has, refuses the upload, each refusal named by line and item ' +
    '(`details.refusals`, the first 100). A vector the item already has is left as it is, so an upload sent again changes nothing. ' +
    '`forgetme partner import --features FILE` sends large files in batches.',
  auth: write('datasets:write'),
  multipart: {
    description: 'The embedding model and its vectors.',
    fields: {
      embeddingModelId: { type: 'string', description: 'The registered embedding model the vectors come from.' },
      features: { type: 'file', description: 'JSON lines, or a .npy array.' },
      ids: { type: 'file', description: 'With a .npy array: the external id of each row, one per line.' },
    },
  },
  maxBodyBytes: FEATURES_BYTES,
  response: { status: 200, schema: featureImportSchema, description: 'How many vectors were stored, and how many the items already had.' },
});
export const getFeatureCoverage = operation({
  id: 'getFeatureCoverage',
  method: 'get',
  path: '/datasets/{datasetId}/features',
  tag: 'Datasets',
  summary: 'Which items have a vector from an embedding model',
  description:
    'Of the items a model would train on (live, and embedded by forgetme), how many have a vector from the embedding model, and which do not ' +
    '(the first 1,000 by external id). A model on that embedding model is refused while any is missing.',
  auth: read('datasets:read'),
  query: featureCoverageQuery,
  response: { status: 200, schema: featureCoverageSchema, description: 'The counts and the items without a vector.' },
});
