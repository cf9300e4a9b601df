import type { z } from 'zod';
import type { ApiScope } from '@/lib/api-keys/scopes';
import type { Role } from '@/lib/auth/roles';

/**
 * One operation of the partner API: how the route wrapper authenticates and validates it, and how
 * the OpenAPI document describes it. Routes pass it to `route()`; openapi.ts lists them all, so
 * the document is generated from the very schemas that validate requests.
 */
export type Operation<B = unknown, Q = unknown> = {
  id: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Under /api/v1, with {param} segments. */
  path: string;
  tag: 'Organization' | 'Datasets' | 'Models' | 'Removal requests' | 'Webhooks' | 'Compliance';
  summary: string;
  description?: string;
  auth: { roles: readonly Role[]; scopes: readonly ApiScope[] };
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** A body that is not JSON (uploads), described in prose and as a schema for the form fields. */
  multipart?: { description: string; fields: Record<string, { type: 'file' | 'string'; description: string; repeated?: boolean }> };
  response: { status: number; schema?: z.ZodType; contentType?: string; description: string };
  maxBodyBytes?: number;
};

const READERS = ['partner_admin', 'partner_engineer', 'partner_compliance'] as const;
const WRITERS = ['partner_admin', 'partner_engineer'] as const;

export const read = (scope: ApiScope) => ({ roles: READERS, scopes: [scope] }) as const;
export const write = (scope: ApiScope) => ({ roles: WRITERS, scopes: [scope] }) as const;

export function operation<B = undefined, Q = undefined>(op: Operation<B, Q>): Operation<B, Q> {
  return op;
}
