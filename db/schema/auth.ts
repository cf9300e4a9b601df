import { integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { organizations } from './organizations';
import { users } from './users';

export const tokenPurpose = pgEnum('token_purpose', ['verify_email']);

/** Single-use e-mailed tokens; only their SHA-256 is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: id(),
    userId: uuid().notNull().references(() => users.id),
    purpose: tokenPurpose().notNull(),
    tokenHash: text().notNull(),
    expiresAt: at().notNull(),
    usedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('email_tokens_hash_key').on(t.tokenHash)],
);

/** Fixed-window counters shared by every process (sign-in attempts, searches per day, ...). */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  count: integer().notNull(),
});

/** Partner API keys: `fm_<prefix>_<secret>`; only the SHA-256 of the whole key is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    organizationId: uuid().notNull().references(() => organizations.id),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull(),
    scopes: text().array().notNull(),
    createdBy: uuid().notNull().references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: at(),
    revokedAt: at(),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash)],
);

export type EmailToken = typeof emailTokens.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
