import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { organizations } from './organizations';
import { users } from './users';

export const tokenPurpose = pgEnum('token_purpose', ['verify_email', 'reset_password']);

/** Single-use e-mailed tokens; only their SHA-256 is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
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

/**
 * Failed sign-ins per key (account and network, account, network, trusted device): each failure
 * past a key's free allowance doubles the wait before that key may try again (lib/auth/sign-in-throttle.ts).
 */
export const signInFailures = pgTable('sign_in_failures', {
  key: text().primaryKey(),
  failures: integer().notNull(),
  lastFailureAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
});

/**
 * Server-side sessions: the session cookie (a JWT) names one of these rows, and a request is
 * signed in only while the row is neither revoked (sign-out, password reset, account deletion)
 * nor expired.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    expiresAt: at().notNull(),
    revokedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId)],
);

/** Partner API keys: `fm_<prefix>_<secret>`; only the SHA-256 of the whole key is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull(),
    scopes: text().array().notNull(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: at(),
    revokedAt: at(),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash)],
);

export type EmailToken = typeof emailTokens.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type UserSession = typeof userSessions.$inferSelect;
