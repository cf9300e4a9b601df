import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emails, type Email } from '@/db/schema';
import { env } from '@/lib/config/env';
import { open } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { log } from '@/lib/log/logger';
import { sealedBodyContext } from './queue-email';

/** Where mail goes when no SMTP server is configured: one JSON file per message. */
export function outboxDir(): string {
  return path.join(env().dataDir, 'outbox');
}

/** The message as it is to be sent: its sealed body opened, or (older rows) the stored text. */
function asSent(row: Email): Email {
  if (!row.sealedBody) return row;
  const opened = open(Buffer.from(row.sealedBody, 'base64'), getDataKey(), sealedBodyContext(row.id));
  const body = JSON.parse(opened.toString('utf8')) as { text: string; html: string };
  return { ...row, text: body.text, html: body.html };
}

async function transport(message: Email): Promise<void> {
  const e = env();
  if (e.smtpUrl) {
    const nodemailer = await import('nodemailer');
    const t = nodemailer.createTransport(e.smtpUrl);
    await t.sendMail({ from: e.mailFrom, to: message.to, subject: message.subject, text: message.text, html: message.html });
    return;
  }
  const dir = outboxDir();
  await fs.mkdir(dir, { recursive: true });
  const links = [...message.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  const file = path.join(dir, `${message.createdAt.getTime()}-${message.id}.json`);
  const tmp = `${file}.tmp`;
  await fs.writeFile(
    tmp,
    JSON.stringify({ id: message.id, from: e.mailFrom, to: message.to, subject: message.subject, text: message.text, html: message.html, links }, null, 2),
  );
  await fs.rename(tmp, file);
  log.info('mail written to outbox (no SMTP_URL set)', { to: message.to, subject: message.subject, file });
}

/**
 * Delivers one queued e-mail unless it was already sent. Safe to run twice: the status is checked
 * first and set after; the outbox file name is the message id, so a repeat overwrites, not adds.
 */
export async function deliverEmail({ emailId }: { emailId: string }): Promise<'sent' | 'already_sent' | 'missing'> {
  const db = await getDb();
  const [message] = await db.select().from(emails).where(eq(emails.id, emailId));
  if (!message) return 'missing';
  if (message.status === 'sent') return 'already_sent';
  try {
    await transport(asSent(message));
  } catch (err) {
    await db
      .update(emails)
      .set({ attempts: sql`${emails.attempts} + 1`, lastError: String(err).slice(0, 500) })
      .where(eq(emails.id, emailId));
    throw err;
  }
  await db
    .update(emails)
    .set({ status: 'sent', sentAt: new Date(), attempts: sql`${emails.attempts} + 1`, sealedBody: null })
    .where(and(eq(emails.id, emailId), eq(emails.status, 'pending')));
  return 'sent';
}
