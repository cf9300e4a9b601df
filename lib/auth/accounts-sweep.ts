import { and, isNotNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { emails, emailTokens, signInFailures } from '@/db/schema';
import { defineJob } from '@/lib/jobs/define-job';
import { deleteExpiredGuards } from '@/lib/liveness/face-guard';
import { log } from '@/lib/log/logger';
import { deleteDeadSessions } from './sessions';
import { FORGET_AFTER_SECONDS } from './sign-in-throttle';
import { expireUnverifiedAccounts } from './unverified-accounts';

/** Longer than any link lives (an invitation: 7 days): a message still unsent by then is dead. */
const SEALED_MAIL_DAYS = 8;

/**
 * Account housekeeping, every 15 minutes: deletes accounts left unconfirmed past 24 hours (their
 * address is free again), sessions that ended, sign-in failures forgotten after a day, spent or
 * expired links (only hashes), the sealed copy of any message that could not be sent, and the
 * live faces kept past their 30 days against searches from several accounts.
 */
export async function sweepAccounts(now = new Date()) {
  const db = await getDb();
  const day = 24 * 3600_000;
  const unverified = await expireUnverifiedAccounts(now);
  const sessions = await deleteDeadSessions();
  const failures = await db
    .delete(signInFailures)
    .where(lt(signInFailures.lastFailureAt, new Date(now.getTime() - FORGET_AFTER_SECONDS * 1000)))
    .returning({ key: signInFailures.key });
  const tokens = await db
    .delete(emailTokens)
    .where(or(lt(emailTokens.expiresAt, new Date(now.getTime() - day)), lt(emailTokens.usedAt, new Date(now.getTime() - day))))
    .returning({ id: emailTokens.id });
  const mails = await db
    .update(emails)
    .set({ sealedBody: null })
    .where(and(isNotNull(emails.sealedBody), lt(emails.createdAt, new Date(now.getTime() - SEALED_MAIL_DAYS * day))))
    .returning({ id: emails.id });
  const guards = await deleteExpiredGuards(db);
  return { unverified, sessions, guards, failures: failures.length, tokens: tokens.length, sealedMails: mails.length };
}

export const sweepAccountsJob = defineJob({
  id: 'accounts.sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'accounts.sweep',
  cron: '*/15 * * * *',
  handler: async () => {
    const swept = await sweepAccounts();
    if (Object.values(swept).some(Boolean)) log.info('accounts swept', swept);
  },
});
