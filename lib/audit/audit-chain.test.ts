import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { test } from 'node:test';
import { auditEvents } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { signUp } from '@/lib/auth/sign-up';
import { inviteMember } from '@/lib/orgs/invite-member';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { verifyAuditChain } from './verify-audit-chain';

setUpTestEnvironment();

describeEachDriver('audit chain', ({ handle, driver }) => {
  test('the chain verifies after sign-ups and invitations', async () => {
    await signUp({ kind: 'individual', name: 'Ann', email: `ann-${driver}@example.test`, password: 'a long password' }, { ip: '192.0.2.1' });
    await signUp(
      { kind: 'partner', name: 'Pat', email: `pat-${driver}@example.test`, password: 'a long password', organizationName: 'Acme' },
      { ip: '192.0.2.1' },
    );
    const { organization, admin } = await seedPartner();
    await inviteMember({ actorUserId: admin.id, organizationId: organization.id, input: { email: `co-${driver}@example.test`, role: 'compliance' } });
    const result = await verifyAuditChain({ pageSize: 3 });
    assert.equal(result.ok, true);
    const actions = (await handle().db.select({ a: auditEvents.action }).from(auditEvents)).map((r) => r.a);
    for (const a of ['user.signed_up', 'organization.created', 'member.joined', 'member.invited']) assert.ok(actions.includes(a), a);
    assert.equal(result.checked, actions.length);
  });

  test('concurrent appends keep one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signUp({ kind: 'individual', name: `P${i}`, email: `p${i}-${driver}@example.test`, password: 'a long password' }, { ip: '192.0.2.1' }),
      ),
    );
    assert.equal((await verifyAuditChain()).ok, true);
  });

  test('altering one stored event is detected at that event', async () => {
    const [victim] = await handle().db.select().from(auditEvents).where(eq(auditEvents.action, 'member.invited'));
    await handle().db.execute(sql`update audit_events set data = jsonb_set(data, '{role}', '"admin"') where seq = ${victim.seq}`);
    const result = await verifyAuditChain();
    assert.deepEqual(result.ok ? null : result.brokenAt, { seq: victim.seq, reason: 'hash_mismatch' });
  });

  test('deleting an event breaks the link of the next one', async () => {
    await handle().db.execute(sql`update audit_events set data = jsonb_set(data, '{role}', '"compliance"') where action = 'member.invited'`);
    assert.equal((await verifyAuditChain()).ok, true, 'restored');
    const [row] = await handle()
      .db.execute(sql`select seq from audit_events order by seq limit 1 offset 2`)
      .then((r) => (r as unknown as { rows: { seq: number }[] }).rows);
    await handle().db.execute(sql`delete from audit_events where seq = ${row.seq}`);
    const result = await verifyAuditChain();
    assert.equal(result.ok, false);
    assert.equal(result.ok ? null : result.brokenAt.reason, 'link_mismatch');
  });
});
