import type { Metadata } from 'next';
import { openApiDocument } from '@/lib/api/openapi';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { env } from '@/lib/config/env';
import { ApiReference } from './api-reference';

export const metadata: Metadata = { title: 'API reference' };

/** The OpenAPI document, rendered: the same document /api/v1/openapi.json serves. */
export default async function ApiReferencePage() {
  await requirePageUser(PERSONA_ROLES.partner, '/partner/api');
  const base = `${env().publicUrl}/api/v1`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">API reference</h1>
      <p className="text-sm">
        Base URL <code>{base}</code> · machine-readable:{' '}
        <a className="underline" href="/api/v1/openapi.json">
          openapi.json
        </a>{' '}
        (OpenAPI 3.1) · keys with scopes:{' '}
        <a className="underline" href="/partner/keys">
          API keys
        </a>
      </p>
      <ApiReference document={openApiDocument(env().publicUrl)} />
    </div>
  );
}
