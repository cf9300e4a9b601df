import type { Executor } from '@/db/client';
import { emails } from '@/db/schema';
import type { MailContent } from './templates';

/**
 * Writes a message to the outbox table inside the caller's transaction; the mail.send job
 * delivers it after commit (see lib/mail/jobs.ts). Returns the e-mail's id.
 */
export async function queueEmail(tx: Executor, to: string, content: MailContent): Promise<string> {
  const [row] = await tx.insert(emails).values({ to, ...content }).returning({ id: emails.id });
  return row.id;
}
