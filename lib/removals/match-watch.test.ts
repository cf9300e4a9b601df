import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, emails, matchWatches } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { deleteAccount } from '@/lib/auth/delete-account';
import { createDataset } from '@/lib/datasets/create-dataset';
import { AppError } from '@/lib/errors/app-error';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { deliverEmail } from '@/lib/mail/deliver-email';
import { readOutbox } from '@/lib/testing/outbox';
import { approveIdentityByOperator, partnerWithModel, reference } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { CONSENT_VERSION } from './consent';
import { expireWatches, runWatches, startWatch, stopWatch, WATCH_DAYS, watchOf } from './match-watch';
import { runMatching, startMatching } from './matching';
import { addReference } from './references';
import { startRequest } from './start-request';
import { withdrawRequest } from './withdraw';

setUpTestEnvironment();
after(() => closeThreadPool());
const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

/** A person whose search (of a registry without them) found nothing: their request is under review with no match. */
async function noMatchRequest(name: string) {
  const person = await seedIndividual();
  const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  assert.ok((await addReference({ userId: person.id, requestId: req.id, bytes: reference(name) })).ok);
  await approveIdentityByOperator(person.id, req.id);
  await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.7' });
  await runMatching(req.id);
  return { person, req };
}

describeEachDriver('telling a person about training sets registered after their search', () => {
  test('opt-in only; a new set holding the person is searched, they get one e-mail naming nothing, and the kept face data is gone', async () => {
    const db = await getDb();
    const { person, req } = await noMatchRequest('Abdullah_Gul');
    const intruder = await seedIndividual();
    await assert.rejects(startWatch({ userId: intruder.id, requestId: req.id, consented: true }), code('not_found'));
    await assert.rejects(startWatch({ userId: person.id, requestId: req.id, consented: false }), code('validation_failed'));
    assert.equal(await watchOf(person.id, req.id), null, 'nothing is kept without consent');
    const { expiresAt } = await startWatch({ userId: person.id, requestId: req.id, consented: true });
    assert.ok(Math.abs(expiresAt.getTime() - Date.now() - WATCH_DAYS * 86400_000) < 60_000);
    await assert.rejects(startWatch({ userId: person.id, requestId: req.id, consented: true }), code('conflict'));
    const [row] = await db.select().from(matchWatches).where(eq(matchWatches.requestId, req.id));
    assert.ok(!row.descriptorsSealed.includes('[') && !row.descriptorsSealed.includes('0.'), 'the descriptors are sealed, not readable');

    // Withdrawing the request (or the sweep doing it) leaves the watch: it has its own consent and end.
    await withdrawRequest({ userId: person.id, requestId: req.id });
    assert.ok(await watchOf(person.id, req.id));

    // A set without the person: searched, nobody told.
    const { organization, admin } = await seedPartner();
    const empty = await createDataset({ organizationId: organization.id, actor: { type: 'user', id: admin.id }, input: { name: 'Empty', description: '' } });
    assert.deepEqual(await runWatches(empty.id), { searched: 1, told: 0 });
    // A set holding the person (their demo photos): one e-mail, the watch and its data deleted with it.
    const { ds } = await partnerWithModel();
    assert.deepEqual(await runWatches(ds.id), { searched: 1, told: 1 });
    for (const { id } of await db.select({ id: emails.id }).from(emails).where(eq(emails.status, 'pending'))) await deliverEmail({ emailId: id });
    assert.equal(await watchOf(person.id, req.id), null);
    const [mail] = readOutbox(person.email).filter((m) => /may have found photos of you/.test(m.subject));
    assert.ok(mail, 'the person is told');
    assert.ok(!mail.text.includes(organization.name) && !mail.text.includes('Studio'), 'the e-mail names neither company nor set');
    assert.deepEqual(await runWatches(ds.id), { searched: 0, told: 0 }, 'told once');
    const ended = await db
      .select({ data: auditEvents.data })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, req.id), eq(auditEvents.action, 'request.watch_ended')));
    assert.deepEqual(
      ended.map((e) => e.data),
      [{ reason: 'found' }],
    );
  });

  test('a watch ends when the person stops it, on its date, and with the account', async () => {
    const db = await getDb();
    const a = await noMatchRequest('Andre_Agassi');
    await startWatch({ userId: a.person.id, requestId: a.req.id, consented: true });
    await stopWatch({ userId: a.person.id, requestId: a.req.id });
    assert.equal(await watchOf(a.person.id, a.req.id), null);
    await assert.rejects(stopWatch({ userId: a.person.id, requestId: a.req.id }), code('conflict'));

    const b = await noMatchRequest('Ana_Palacio');
    await startWatch({ userId: b.person.id, requestId: b.req.id, consented: true });
    assert.equal(await expireWatches(new Date(Date.now() + (WATCH_DAYS - 1) * 86400_000)), 0);
    assert.equal(await expireWatches(new Date(Date.now() + (WATCH_DAYS + 1) * 86400_000)), 1);
    assert.equal(await watchOf(b.person.id, b.req.id), null);

    const c = await noMatchRequest('Angela_Bassett');
    await startWatch({ userId: c.person.id, requestId: c.req.id, consented: true });
    await deleteAccount({ userId: c.person.id, password: c.person.password });
    assert.equal((await db.select().from(matchWatches).where(eq(matchWatches.userId, c.person.id))).length, 0);
  });
});
