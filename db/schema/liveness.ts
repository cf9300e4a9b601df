import { index, jsonb, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { removalRequests } from './removals';
import { users } from './users';

export const livenessStatus = pgEnum('liveness_status', ['issued', 'passed', 'refused']);

/** One step of a live-capture challenge: the pose asked for between two offsets from the capture's start. */
export type ChallengeStep = { pose: 'center' | 'left' | 'right'; fromMs: number; toMs: number };

/**
 * A live capture (lib/liveness): the random challenge issued to the person, and what the server
 * found in the frames they sent. The frames themselves are never stored; what stays is the mean
 * descriptor of the frontal frames (sealed with the data key, deleted with the references) and
 * the SHA-256 of each frame, so that the same frames cannot be sent again.
 */
export const livenessChecks = pgTable(
  'liveness_checks',
  {
    id: id(),
    requestId: uuid()
      .notNull()
      .references(() => removalRequests.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    steps: jsonb().$type<ChallengeStep[]>().notNull(),
    status: livenessStatus().notNull().default('issued'),
    expiresAt: at().notNull(),
    submittedAt: at(),
    /** Why a capture was refused: a code of lib/liveness/judge-capture.ts. */
    refusal: text(),
    liveDescriptorSealed: text(),
    frameHashes: text().array(),
    createdAt: createdAt(),
  },
  (t) => [index('liveness_checks_request_idx').on(t.requestId, t.createdAt), index('liveness_checks_user_idx').on(t.userId, t.createdAt)],
);

/**
 * The abuse guard (issue 15): the live face of each passed capture, sealed, kept 30 days after the
 * request's own data is gone, only to refuse the same face searched from another account. Nothing
 * else reads it; the accounts sweep deletes it when it expires.
 */
export const faceGuard = pgTable(
  'face_guard',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    descriptorSealed: text().notNull(),
    expiresAt: at().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('face_guard_expires_idx').on(t.expiresAt)],
);

export type LivenessCheck = typeof livenessChecks.$inferSelect;
