import { pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';

/** individual: a data subject; partner: a member of partner organisations; auditor: platform-wide, read-only. */
export const userKind = pgEnum('user_kind', ['individual', 'partner', 'auditor']);

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    kind: userKind().notNull(),
    emailVerifiedAt: at(),
    /** Set when the person deleted their account: the row stays (certificates and audit name it) without their details. */
    deletedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserKind = User['kind'];
