import { z } from 'zod';

/** What a partner API key may do. A compliance key holds only read scopes. */
export const API_SCOPES = [
  'organization:read',
  'datasets:read',
  'datasets:write',
  'models:read',
  'models:write',
  'deployment-keys:write',
  'requests:read',
  'requests:write',
  'webhooks:read',
  'webhooks:write',
  'compliance:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const apiScopeSchema = z.enum(API_SCOPES);
