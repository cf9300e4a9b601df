import { getDb } from '@/db/client';
import { findOpenInvitation } from './find-invitation';

/** What the accept page shows about an invitation link. */
export async function getInvitation({ token }: { token: string }) {
  const inv = await findOpenInvitation(await getDb(), token);
  return { email: inv.email, role: inv.role, organizationName: inv.organizationName, expiresAt: inv.expiresAt };
}
