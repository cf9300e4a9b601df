import { integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';

export const emailStatus = pgEnum('email_status', ['pending', 'sent', 'failed']);

/**
 * Outgoing mail, written in the same transaction as the change that causes it (a transactional
 * outbox); the mail.send job delivers it, so a crash never loses nor duplicates a message.
 */
export const emails = pgTable('emails', {
  id: id(),
  to: text().notNull(),
  subject: text().notNull(),
  text: text().notNull(),
  html: text().notNull(),
  /**
   * The message as sent (text and html), sealed with the data key, while it is pending: `text` and
   * `html` hold a copy whose links are withheld, and this is cleared once the message is sent, so
   * no single-use link (verification, invitation, password reset) is kept in clear at rest.
   */
  sealedBody: text(),
  status: emailStatus().notNull().default('pending'),
  attempts: integer().notNull().default(0),
  lastError: text(),
  sentAt: at(),
  createdAt: createdAt(),
});

export type Email = typeof emails.$inferSelect;
