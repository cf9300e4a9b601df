import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { emails } from '@/db/schema';
import { defineJob } from '@/lib/jobs/define-job';
import { enqueue } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log/logger';
import { deliverEmail } from './deliver-email';

export const sendEmailJob = defineJob({
  id: 'mail.send',
  version: 1,
  schema: z.object({ emailId: z.uuid() }),
  key: (p) => `mail.send:${p.emailId}`,
  retryLimit: 8,
  retryDelaySeconds: 10,
  handler: async (payload) => {
    await deliverEmail(payload);
  },
});

/** Re-queues mail left pending (a crash after commit but before the job was sent). */
export const sweepEmailsJob = defineJob({
  id: 'mail.sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'mail.sweep',
  cron: '*/5 * * * *',
  handler: async () => {
    const db = await getDb();
    const stale = await db
      .select({ id: emails.id })
      .from(emails)
      .where(and(eq(emails.status, 'pending'), lt(emails.createdAt, sql`now() - interval '2 minutes'`), lt(emails.attempts, 8)))
      .limit(500);
    for (const { id } of stale) await enqueue(sendEmailJob, { emailId: id });
  },
});

/** Asks for delivery right after commit; if queueing fails, the sweep will pick the message up. */
export async function requestDelivery(emailId: string): Promise<void> {
  try {
    await enqueue(sendEmailJob, { emailId });
  } catch (err) {
    log.warn('could not queue e-mail now; the sweep will retry', { emailId, error: String(err) });
  }
}
