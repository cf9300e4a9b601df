import { z } from 'zod';
import { API_SCOPES } from '@/lib/api-keys/scopes';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/event-types';
import { errorSchema } from './common-schemas';
import type { Operation } from './define-operation';
import { OPERATIONS } from './operations';

type Json = Record<string, unknown>;

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * A JSON Schema as a reader of the reference wants it: a `format` (uuid, date-time, email) stands
 * without the regular expression zod adds beside it, and the safe-integer bounds zod puts on every
 * integer (±9007199254740991) are left out; real bounds stay.
 */
export function tidySchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidySchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && 'format' in node) continue;
    if ((k === 'minimum' && v === -SAFE_INTEGER) || (k === 'maximum' && v === SAFE_INTEGER)) continue;
    out[k] = tidySchema(v);
  }
  return out;
}

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return tidySchema(rest) as Json;
};

const ERRORS: Record<string, string> = {
  '401': 'No or an invalid API key.',
  '403': 'The key lacks a scope, or the account a role.',
  '404': 'No such resource in your organisation.',
  '409': 'A conflict (for example an Idempotency-Key reused with another request).',
  '413': 'The request is too large.',
  '422': 'The request is not valid; `details.issues` names the fields.',
};

function describe(op: Operation): Json {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: m[1] === 'version' ? { type: 'integer', minimum: 1 } : { type: 'string', format: 'uuid' },
  }));
  if (op.query) {
    const q = schemaOf(op.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {}))
      params.push({ name, in: 'query', required: (q.required ?? []).includes(name) && !('default' in schema), schema } as never);
  }
  if (op.method === 'post')
    params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } as never } as never);
  const body = op.body
    ? { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } }
    : op.multipart
      ? {
          required: true,
          description: op.multipart.description,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: Object.fromEntries(
                  Object.entries(op.multipart.fields).map(([k, f]) => {
                    const one =
                      f.type === 'file' ? { type: 'string', format: 'binary', description: f.description } : { type: 'string', description: f.description };
                    return [k, f.repeated ? { type: 'array', items: one, description: f.description } : one];
                  }),
                ),
                required: ['manifest'],
              },
            },
          },
        }
      : undefined;
  const ok = op.response.schema
    ? { description: op.response.description, content: { [op.response.contentType ?? 'application/json']: { schema: schemaOf(op.response.schema, 'output') } } }
    : op.response.contentType
      ? { description: op.response.description, content: { [op.response.contentType]: { schema: { type: 'string', format: 'binary' } } } }
      : { description: op.response.description };
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: [{ apiKey: [...op.auth.scopes] }, { session: [] }],
    'x-scopes': op.auth.scopes,
    parameters: params,
    ...(body ? { requestBody: body } : {}),
    responses: {
      [String(op.response.status)]: ok,
      ...Object.fromEntries(
        Object.entries(ERRORS).map(([s, d]) => [s, { description: d, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' zod schemas. */
export function openApiDocument(serverUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS as readonly Operation[]) (paths[op.path] ??= {})[op.method] = describe(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'forgetme partner API',
      version: '1',
      description: [
        'Register training sets and the models trained on them, receive signed webhooks when a person asks for removal, ' +
          'and pull the certified new model versions.',
        'Authenticate with `Authorization: Bearer fm_…` (an API key made by an organisation admin in the console, with scopes). ' +
          'Errors are `{ "error": { "code", "message" } }`. Lists are newest first with `?limit=` (1–200) and `?cursor=`. ' +
          'Every POST accepts an `Idempotency-Key` (24 hours).',
        `Webhooks follow Standard Webhooks (headers webhook-id, webhook-timestamp, webhook-signature; HMAC v1). Events: ${Object.entries(WEBHOOK_EVENTS)
          .map(([k, v]) => `\`${k}\` (${v})`)
          .join('; ')}.`,
      ].join('\n\n'),
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    tags: [{ name: 'Datasets' }, { name: 'Models' }, { name: 'Removal requests' }, { name: 'Webhooks' }, { name: 'Compliance' }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'fm_<prefix>_<secret>', description: `Scopes: ${API_SCOPES.join(', ')}.` },
        session: { type: 'apiKey', in: 'cookie', name: 'authjs.session-token', description: "The console's signed-in session." },
      },
      schemas: { Error: schemaOf(errorSchema, 'output') },
    },
  };
}
