import 'server-only';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { complianceScope, type ComplianceScope } from './scope';

/** The signed-in compliance reader's scope, for pages. */
export async function pageScope(path: string): Promise<ComplianceScope> {
  const user = await requirePageUser(PERSONA_ROLES.compliance, path);
  return complianceScope({ type: 'user', user });
}
