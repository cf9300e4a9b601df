import type { Principal } from '@/lib/http/principal';
import { AppError } from '@/lib/errors/app-error';

/** What a compliance reader may see: one organisation, or (a platform auditor) all of them. */
export type ComplianceScope = { organizationId: string | null };

export function complianceScope(p: Principal): ComplianceScope {
  if (p.type === 'api_key') return { organizationId: p.key.organizationId };
  if (p.user.roles.includes('auditor')) return { organizationId: null };
  if (p.user.organization) return { organizationId: p.user.organization.id };
  throw new AppError('forbidden', 'Compliance views are for partner compliance officers and platform auditors.');
}
