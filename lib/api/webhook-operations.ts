import { z } from 'zod';
import { createEndpointSchema, deliverySchema, endpointSchema, updateEndpointSchema } from '@/lib/webhooks/schemas';
import { pageOf } from './common-schemas';
import { operation, read, write } from './define-operation';
import { pageQuerySchema } from '@/lib/http/pagination';

/** The partner API's webhook operations: endpoints, their deliveries, replay (operations.ts lists them). */
export const listEndpoints = operation({
  id: 'listWebhookEndpoints',
  method: 'get',
  path: '/webhooks/endpoints',
  tag: 'Webhooks',
  summary: 'List webhook endpoints',
  auth: read('webhooks:read'),
  query: pageQuerySchema,
  response: { status: 200, schema: pageOf(endpointSchema), description: 'A page of endpoints.' },
});
export const createEndpoint = operation({
  id: 'createWebhookEndpoint',
  method: 'post',
  path: '/webhooks/endpoints',
  tag: 'Webhooks',
  summary: 'Register a webhook endpoint',
  description: 'The signing secret (`whsec_…`) is in this response only. Deliveries follow Standard Webhooks (HMAC `v1`).',
  auth: write('webhooks:write'),
  body: createEndpointSchema,
  response: { status: 201, schema: z.object({ endpoint: endpointSchema, secret: z.string() }), description: 'The endpoint and its secret.' },
});
export const getEndpoint = operation({
  id: 'getWebhookEndpoint',
  method: 'get',
  path: '/webhooks/endpoints/{endpointId}',
  tag: 'Webhooks',
  summary: 'A webhook endpoint',
  auth: read('webhooks:read'),
  response: { status: 200, schema: z.object({ endpoint: endpointSchema }), description: 'The endpoint.' },
});
export const updateEndpoint = operation({
  id: 'updateWebhookEndpoint',
  method: 'patch',
  path: '/webhooks/endpoints/{endpointId}',
  tag: 'Webhooks',
  summary: 'Change, disable or re-enable an endpoint',
  auth: write('webhooks:write'),
  body: updateEndpointSchema,
  response: { status: 200, schema: z.object({ endpoint: endpointSchema }), description: 'The endpoint.' },
});
export const deleteEndpoint = operation({
  id: 'deleteWebhookEndpoint',
  method: 'delete',
  path: '/webhooks/endpoints/{endpointId}',
  tag: 'Webhooks',
  summary: 'Delete an endpoint',
  auth: write('webhooks:write'),
  response: { status: 204, description: 'Deleted; its delivery log is kept.' },
});
export const rotateSecret = operation({
  id: 'rotateWebhookSecret',
  method: 'post',
  path: '/webhooks/endpoints/{endpointId}/rotate-secret',
  tag: 'Webhooks',
  summary: 'Rotate the signing secret',
  description: 'Returns the new secret once. For 24 hours, deliveries carry signatures with both the new and the previous secret.',
  auth: write('webhooks:write'),
  response: { status: 200, schema: z.object({ endpoint: endpointSchema, secret: z.string() }), description: 'The endpoint and its new secret.' },
});
export const pingEndpoint = operation({
  id: 'pingWebhookEndpoint',
  method: 'post',
  path: '/webhooks/endpoints/{endpointId}/ping',
  tag: 'Webhooks',
  summary: 'Send a ping event',
  auth: write('webhooks:write'),
  response: { status: 202, schema: z.object({ eventId: z.string(), deliveryIds: z.array(z.uuid()) }), description: 'The ping is being delivered.' },
});
export const listDeliveries = operation({
  id: 'listWebhookDeliveries',
  method: 'get',
  path: '/webhooks/endpoints/{endpointId}/deliveries',
  tag: 'Webhooks',
  summary: 'The delivery log of an endpoint',
  auth: read('webhooks:read'),
  query: pageQuerySchema,
  response: { status: 200, schema: pageOf(deliverySchema), description: 'Deliveries, newest first, each with every attempt.' },
});
export const getDelivery = operation({
  id: 'getWebhookDelivery',
  method: 'get',
  path: '/webhooks/deliveries/{deliveryId}',
  tag: 'Webhooks',
  summary: 'A delivery and its attempts',
  auth: read('webhooks:read'),
  response: { status: 200, schema: z.object({ delivery: deliverySchema }), description: 'The delivery.' },
});
export const replayDelivery = operation({
  id: 'replayWebhookDelivery',
  method: 'post',
  path: '/webhooks/deliveries/{deliveryId}/replay',
  tag: 'Webhooks',
  summary: 'Send a delivery again',
  description: 'Same `webhook-id`, fresh timestamp and signature.',
  auth: write('webhooks:write'),
  response: { status: 200, schema: z.object({ delivery: deliverySchema }), description: 'The delivery with the new attempt.' },
});
