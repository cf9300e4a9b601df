import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns';

/** Public halves of the platform's signing keys, kept forever so old certificates stay verifiable. */
export const signingKeys = pgTable('signing_keys', {
  kid: text().primaryKey(),
  algorithm: text().notNull(),
  publicJwk: jsonb().$type<Record<string, string>>().notNull(),
  notBefore: at().notNull(),
  notAfter: at(),
  createdAt: createdAt(),
});

export type SigningKey = typeof signingKeys.$inferSelect;
