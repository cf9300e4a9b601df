import type { MemberRole, UserKind } from '@/db/schema';

/** What a signed-in person may act as. */
export type Role = 'individual' | 'partner_admin' | 'partner_engineer' | 'partner_compliance' | 'auditor';

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  kind: UserKind;
  roles: Role[];
  /** The partner organisation the person acts for (partner members only). */
  organization: { id: string; name: string; role: MemberRole } | null;
};

export const PERSONA_ROLES = {
  individual: ['individual'],
  partner: ['partner_admin', 'partner_engineer'],
  compliance: ['partner_compliance', 'partner_admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

/** Everyone who may open their own account page (auditors are managed by an operator). */
export const ACCOUNT_ROLES = ['individual', 'partner_admin', 'partner_engineer', 'partner_compliance'] as const satisfies readonly Role[];

export function rolesOf(kind: UserKind, memberRole: MemberRole | null): Role[] {
  if (kind === 'individual') return ['individual'];
  if (kind === 'auditor') return ['auditor'];
  return memberRole ? [`partner_${memberRole}` as Role] : [];
}

export function hasAnyRole(user: Pick<SessionUser, 'roles'>, allowed: readonly Role[]): boolean {
  return user.roles.some((r) => allowed.includes(r));
}

/** The home page of a person, by role. */
export function homePath(user: Pick<SessionUser, 'roles'>): string {
  if (user.roles.includes('individual')) return '/me';
  if (user.roles.includes('partner_admin') || user.roles.includes('partner_engineer')) return '/partner';
  if (user.roles.includes('partner_compliance') || user.roles.includes('auditor')) return '/compliance';
  return '/';
}
