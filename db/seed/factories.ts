import crypto from 'node:crypto';
import { getDb } from '@/db/client';
import { memberships, organizations, users, type MemberRole, type UserKind } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { hashPassword } from '@/lib/auth/password';

/**
 * Seed factories shared by the demo seed and the tests: each builds real rows through the same
 * tables and audit chain as the product, without clicking through sign-up.
 */
export type SeededUser = { id: string; email: string; password: string; name: string; kind: UserKind };

export async function seedUser(opts: { kind: UserKind; email?: string; name?: string; password?: string; verified?: boolean }): Promise<SeededUser> {
  const email = (opts.email ?? `${opts.kind}-${crypto.randomBytes(5).toString('hex')}@example.test`).toLowerCase();
  const password = opts.password ?? `pw-${crypto.randomBytes(9).toString('base64url')}`;
  const name = opts.name ?? `Test ${opts.kind}`;
  const db = await getDb();
  const passwordHash = await hashPassword(password);
  const id = await db.transaction(async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email, name, passwordHash, kind: opts.kind, emailVerifiedAt: opts.verified === false ? null : new Date() })
      .returning({ id: users.id });
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      event: { action: 'user.created_by_operator', subject: { type: 'user', id: u.id }, data: { kind: opts.kind } },
    });
    return u.id;
  });
  return { id, email, password, name, kind: opts.kind };
}

export async function seedIndividual(opts: { email?: string; name?: string; password?: string; verified?: boolean } = {}) {
  return seedUser({ ...opts, kind: 'individual' });
}

export async function seedAuditor(opts: { email?: string; name?: string; password?: string } = {}) {
  return seedUser({ ...opts, kind: 'auditor' });
}

/** A partner organisation with its admin. */
export async function seedPartner(opts: { organizationName?: string; admin?: { email?: string; name?: string; password?: string } } = {}) {
  const admin = await seedUser({ ...opts.admin, kind: 'partner' });
  const name = opts.organizationName ?? `Org ${crypto.randomBytes(3).toString('hex')}`;
  const db = await getDb();
  const organizationId = await db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name }).returning({ id: organizations.id });
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      organizationId: org.id,
      event: { action: 'organization.created', subject: { type: 'organization', id: org.id }, data: { name } },
    });
    return org.id;
  });
  await seedMembership({ organizationId, userId: admin.id, role: 'admin' });
  return { organization: { id: organizationId, name }, admin };
}

export async function seedMembership(opts: { organizationId: string; userId: string; role: MemberRole }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [m] = await tx.insert(memberships).values(opts).returning({ id: memberships.id });
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      organizationId: opts.organizationId,
      event: { action: 'member.joined', subject: { type: 'membership', id: m.id }, data: { userId: opts.userId, role: opts.role } },
    });
  });
}

/** A member of an existing organisation with the given role. */
export async function seedMember(opts: { organizationId: string; role: MemberRole; email?: string; name?: string; password?: string }) {
  const user = await seedUser({ kind: 'partner', email: opts.email, name: opts.name, password: opts.password });
  await seedMembership({ organizationId: opts.organizationId, userId: user.id, role: opts.role });
  return user;
}
