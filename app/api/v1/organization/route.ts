import { route } from '@/lib/http/route';
import { principalOrganizationId } from '@/lib/http/principal';
import { getOrganization } from '@/lib/orgs/get-organization';

/** The caller's own organisation (partner members and keys with organization:read). */
export const GET = route(
  { auth: { roles: ['partner_admin', 'partner_engineer', 'partner_compliance'], scopes: ['organization:read'] } },
  async ({ principal }) => ({ organization: await getOrganization({ organizationId: principalOrganizationId(principal)! }) }),
);
