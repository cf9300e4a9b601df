import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './event-types';

const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, 'must name at least one event').max(WEBHOOK_EVENT_TYPES.length);

export const createEndpointSchema = z.strictObject({
  url: z.string().trim().max(2000),
  description: z.string().trim().max(500).default(''),
  events,
});

export const updateEndpointSchema = z.strictObject({
  url: z.string().trim().max(2000).optional(),
  description: z.string().trim().max(500).optional(),
  events: events.optional(),
  enabled: z.boolean().optional().describe('true re-enables an endpoint that was disabled after failing.'),
});

export const endpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: z.iso.datetime().nullable(),
  previousSecretValidUntil: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const deliverySchema = z.object({
  id: z.uuid(),
  eventId: z.string(),
  eventType: z.string(),
  endpointId: z.uuid(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  log: z.array(
    z.object({
      attempt: z.number().int(),
      manual: z.boolean(),
      statusCode: z.number().int().nullable(),
      latencyMs: z.number().int(),
      responseExcerpt: z.string().nullable(),
      error: z.string().nullable(),
      at: z.iso.datetime(),
    }),
  ),
});

export type EndpointView = z.infer<typeof endpointSchema>;
export type DeliveryView = z.infer<typeof deliverySchema>;
