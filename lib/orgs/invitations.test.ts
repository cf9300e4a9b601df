import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { test } from 'node:test';
import { emails, invitations, memberships } from '@/db/schema';
import { seedIndividual, seedMember, seedPartner } from '@/db/seed/factories';
import { loadSessionUser } from '@/lib/auth/load-session-user';
import { createSession } from '@/lib/auth/sessions';
import { verifyCredentials } from '@/lib/auth/verify-credentials';
import { AppError, type ErrorCode } from '@/lib/errors/app-error';
import { deliverEmail } from '@/lib/mail/deliver-email';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { readOutbox } from '@/lib/testing/outbox';
import { acceptInvitation } from './accept-invitation';
import { getInvitation } from './get-invitation';
import { inviteMember } from './invite-member';
import { listMembers } from './list-members';

setUpTestEnvironment();
const code = (c: ErrorCode) => (e: unknown) => e instanceof AppError && e.code === c;

describeEachDriver('invitations', ({ handle, driver }) => {
  test('an admin invites a compliance officer, who accepts and signs in with that role', async () => {
    const { organization, admin } = await seedPartner({ organizationName: 'Acme Faces' });
    const email = `co-${driver}@example.test`;
    await inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email, role: 'compliance' } });
    for (const e of await handle().db.select().from(emails)) await deliverEmail({ emailId: e.id });
    const link = readOutbox(email).at(-1)!.links[0];
    const token = link.split('/invite/')[1];
    assert.deepEqual((await getInvitation({ token })).organizationName, 'Acme Faces');
    const { userId } = await acceptInvitation({ token, name: 'Carl', password: 'a long password' });
    await verifyCredentials({ email, password: 'a long password', ip: '9.9.9.9' });
    const user = await loadSessionUser(userId, await createSession(userId));
    assert.deepEqual(user?.roles, ['partner_compliance']);
    assert.equal(user?.organization?.id, organization.id);
    await assert.rejects(acceptInvitation({ token, name: 'Again', password: 'a long password' }), code('token_used'));
    const { members } = await listMembers({ actorUserId: userId, organizationId: organization.id });
    assert.deepEqual(members.map((m) => m.role).sort(), ['admin', 'compliance']);
  });

  test('only admins invite, and only into their own organisation', async () => {
    const a = await seedPartner();
    const b = await seedPartner();
    const engineer = await seedMember({ organizationId: a.organization.id, role: 'engineer' });
    const individual = await seedIndividual();
    const input = { email: `x-${driver}@example.test`, role: 'engineer' as const };
    await assert.rejects(inviteMember({ actorUserId: engineer.id, organizationId: a.organization.id, input }), code('forbidden'));
    await assert.rejects(inviteMember({ actorUserId: a.admin.id, organizationId: b.organization.id, input }), code('forbidden'));
    await assert.rejects(inviteMember({ actorUserId: individual.id, organizationId: a.organization.id, input }), code('forbidden'));
    await assert.rejects(listMembers({ actorUserId: a.admin.id, organizationId: b.organization.id }), code('forbidden'));
    const rows = await handle().db.select().from(invitations).where(eq(invitations.email, input.email));
    assert.equal(rows.length, 0);
  });

  test('bad roles, existing accounts, duplicates and expired links are refused', async () => {
    const { organization, admin } = await seedPartner();
    const existing = await seedIndividual();
    await assert.rejects(
      inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email: 'y@example.test', role: 'owner' as never } }),
      code('validation_failed'),
    );
    await assert.rejects(
      inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email: existing.email, role: 'engineer' } }),
      code('email_taken'),
    );
    await assert.rejects(
      inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email: admin.email, role: 'engineer' } }),
      code('conflict'),
    );
    const email = `late-${driver}@example.test`;
    const { invitationId } = await inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email, role: 'engineer' } });
    await assert.rejects(inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email, role: 'engineer' } }), code('conflict'));
    for (const e of await handle().db.select().from(emails)) await deliverEmail({ emailId: e.id });
    const token = readOutbox(email).at(-1)!.links[0].split('/invite/')[1];
    await handle()
      .db.update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(invitations.id, invitationId));
    await assert.rejects(acceptInvitation({ token, name: 'Late', password: 'a long password' }), code('token_expired'));
    const joined = await handle().db.select().from(memberships).where(eq(memberships.organizationId, organization.id));
    assert.equal(joined.length, 1);
  });
});
