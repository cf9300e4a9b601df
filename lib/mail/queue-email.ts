import crypto from 'node:crypto';
import type { Executor } from '@/db/client';
import { emails } from '@/db/schema';
import { seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import type { MailContent } from './templates';

const LINK = /https?:\/\/[^\s"'<>]+/g;
export const WITHHELD = '[link withheld: sent, not stored]';

/** The context a message's sealed body is bound to (lib/crypto/aead.ts). */
export const sealedBodyContext = (emailId: string) => `email:${emailId}`;

/**
 * Writes a message to the outbox table inside the caller's transaction; the mail.send job
 * delivers it after commit (see lib/mail/jobs.ts). The message as sent is sealed with the data
 * key, and the stored text and html have their links withheld: a verification, invitation or
 * reset link is never readable from the database, and the sealed copy is dropped once sent
 * (lib/mail/deliver-email.ts). Returns the e-mail's id.
 */
export async function queueEmail(tx: Executor, to: string, content: MailContent): Promise<string> {
  const id = crypto.randomUUID();
  const sealedBody = seal(Buffer.from(JSON.stringify({ text: content.text, html: content.html })), getDataKey(), sealedBodyContext(id)).toString('base64');
  await tx.insert(emails).values({
    id,
    to,
    subject: content.subject,
    text: content.text.replace(LINK, WITHHELD),
    html: content.html.replace(LINK, WITHHELD),
    sealedBody,
  });
  return id;
}
