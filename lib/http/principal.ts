import type { ApiKeyPrincipal } from '@/lib/api-keys/authenticate-api-key';
import type { SessionUser } from '@/lib/auth/roles';

/** Who is calling: a signed-in person (session cookie) or a partner API key. */
export type Principal = { type: 'user'; user: SessionUser } | { type: 'api_key'; key: ApiKeyPrincipal };

export function principalOrganizationId(p: Principal): string | null {
  return p.type === 'api_key' ? p.key.organizationId : (p.user.organization?.id ?? null);
}

export function auditActor(p: Principal) {
  return p.type === 'api_key' ? ({ type: 'api_key', id: p.key.keyId } as const) : ({ type: 'user', id: p.user.id } as const);
}
