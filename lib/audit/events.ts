/**
 * Every audited action, as one typed union. Domain code records these through recordAuditEvent;
 * the data of an event never holds biometric data or secrets.
 */
export type Actor = { type: 'user'; id: string } | { type: 'api_key'; id: string } | { type: 'system'; id?: undefined };

type Ev<A extends string, S extends string, D extends Record<string, unknown> = Record<string, never>> = {
  action: A;
  subject: { type: S; id: string };
  data: D;
};

export type AuditEvent =
  | Ev<'user.signed_up', 'user', { kind: 'individual' | 'partner' }>
  | Ev<'user.email_verified', 'user'>
  | Ev<'user.verification_resent', 'user'>
  | Ev<'user.signed_in', 'user'>
  | Ev<'user.sign_in_failed', 'user', { reason: 'invalid_password' | 'email_not_verified' | 'rate_limited' }>
  | Ev<'user.created_by_operator', 'user', { kind: 'auditor' | 'individual' | 'partner' }>
  | Ev<'organization.created', 'organization', { name: string }>
  | Ev<'member.invited', 'invitation', { email: string; role: string }>
  | Ev<'member.joined', 'membership', { userId: string; role: string; invitationId?: string }>
  | Ev<'api_key.created', 'api_key', { name: string; scopes: string[] }>
  | Ev<'api_key.revoked', 'api_key'>
  | Ev<'signing_key.registered', 'signing_key', { algorithm: string }>;

export type AuditAction = AuditEvent['action'];
