import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { auth } from './auth';
import { loadSessionUser } from './load-session-user';
import { hasAnyRole, homePath, type Role, type SessionUser } from './roles';

/**
 * The signed-in person, or null. Memoised for one server render (React's cache): the header and
 * the page both ask, and each ask costs a session decryption and a query (measured: bench/web-load.ts).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  const sid = session?.sessionId;
  return id && sid ? loadSessionUser(id, sid) : null;
});

/**
 * For pages: the signed-in person if they hold one of `roles`. Anyone else is sent away: to
 * sign-in when signed out, to their own home when signed in with another role.
 */
export async function requirePageUser(roles: readonly Role[], from: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(from)}`);
  if (!hasAnyRole(user, roles)) redirect(`${homePath(user)}?denied=${encodeURIComponent(from)}`);
  return user;
}
