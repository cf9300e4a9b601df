import { AppError } from '@/lib/errors/app-error';
import type { Principal } from './principal';

/** The organisation a partner caller acts for; people without one (individuals, auditors) are refused. */
export function requireOrganization(p: Principal): string {
  const id = p.type === 'api_key' ? p.key.organizationId : p.user.organization?.id;
  if (!id) throw new AppError('forbidden', 'This resource belongs to a partner organisation; your account is not a member of one.');
  return id;
}

/** A resource of another organisation is answered like one that does not exist. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `No ${what} with this id exists in your organisation.`);
}
