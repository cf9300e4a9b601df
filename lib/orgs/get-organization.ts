import { count, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { memberships, organizations } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';

/** An organisation's public facts, for its own members and keys. */
export async function getOrganization({ organizationId }: { organizationId: string }) {
  const db = await getDb();
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw new AppError('not_found', 'No such organisation.');
  const [{ members }] = await db.select({ members: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
  return { id: org.id, name: org.name, createdAt: org.createdAt.toISOString(), members };
}
