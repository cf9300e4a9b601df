import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { datasetItems, datasets } from './datasets';
import { models, modelVersions } from './models';
import { organizations } from './organizations';
import { users } from './users';

export const requestStatus = pgEnum('removal_request_status', [
  'draft',
  'matching',
  'review',
  'submitted',
  'processing',
  'completed',
  'partially_failed',
  'failed',
  'withdrawn',
]);
export const matchTier = pgEnum('match_tier', ['shown', 'possible']);
/** The operator-reviewed identity check for a person who cannot use a camera (lib/liveness/identity-review.ts). */
export const identityReview = pgEnum('identity_review', ['pending', 'approved', 'refused']);
/**
 * A task's states. `awaiting_release`: the model was training when the request was submitted; its
 * first release leaves the items out and completes the task (lib/removals/first-release-tasks.ts).
 */
export const taskStatus = pgEnum('removal_task_status', ['pending', 'unlearning', 'certified', 'failed', 'awaiting_release']);

/**
 * What a search covered (lib/removals/search-scope.ts): every training set searched with its faces
 * and labels, at search time, and the thresholds that registry's size put in force with the
 * strangers a request could expect at them (recorded since migration 0013; older rows lack them).
 */
export type SearchScope = {
  faces: number;
  labels?: number;
  datasets: { id: string; name: string; organization: string; faces: number; labels?: number }[];
  /** The person's reference photos and the groups they were searched as (lib/matcher/reference-groups.ts; recorded since issue 16's groups). */
  references?: { photos: number; groups: number };
  thresholds?: {
    calibrated: string;
    photo: { shown: number; possible: number };
    label: { size: number; shown: number; possible: number }[];
    expectedStrangers: { shown: number; possible: number };
    /** What `expectedStrangers` counts: stranger photos (recorded since the label budget was shared out by photos); absent, stranger people. */
    strangersCounted?: 'photos';
    /** A label of more than `photos` photos is taken by a stranger in at most `chance` of searches (recorded since LARGE_LABEL). */
    largeLabel?: { photos: number; chance: number };
    extrapolated: boolean;
  };
};

export type RequestFailure = { stage: 'matching' | 'unlearning' | 'certification'; code: string; message: string };

/** A person's request to be removed (docs/architecture.md lifecycle). */
export const removalRequests = pgTable(
  'removal_requests',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    status: requestStatus().notNull().default('draft'),
    consentVersion: text(),
    consentedAt: at(),
    includePossible: boolean().notNull().default(false),
    attestedAt: at(),
    submittedAt: at(),
    completedAt: at(),
    withdrawnAt: at(),
    /** When the references and their descriptors were deleted (retention). */
    purgedAt: at(),
    /** Why the request failed or partly failed (lifecycle.ts): the stage and the last error, never biometric data. */
    error: jsonb().$type<RequestFailure>(),
    /** Set when the person asked for an operator's review instead of a live capture (no camera). */
    /** What the search covered, recorded when it ran: shown to the person, matches or not. */
    searchScope: jsonb().$type<SearchScope>(),
    identityReview: identityReview(),
    identityReviewReason: text(),
    lastActivityAt: at().notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    index('removal_requests_user_idx').on(t.userId, t.createdAt),
    // The removal sweep's scan: requests that may still hold biometric data or wait on a job.
    index('removal_requests_unpurged_idx')
      .on(t.status, t.lastActivityAt)
      .where(sql`${t.purgedAt} is null`),
  ],
);

/** A reference photo: the photo and its descriptor sealed with the data key; deleted by retention. */
export const requestReferences = pgTable('request_references', {
  id: id(),
  requestId: uuid()
    .notNull()
    .references(() => removalRequests.id),
  photoBlob: text().notNull(),
  descriptorSealed: text().notNull(),
  box: real().array().notNull(),
  createdAt: createdAt(),
});

/**
 * A person's consent to be told if a training set registered later holds their photos, after a
 * search found none (lib/removals/match-watch.ts): their descriptors (references and live face)
 * sealed with the data key, kept until `expiresAt`, until they stop it, until they are told once,
 * or until their account is deleted, whichever comes first.
 */
export const matchWatches = pgTable(
  'match_watches',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    requestId: uuid()
      .notNull()
      .references(() => removalRequests.id),
    descriptorsSealed: text().notNull(),
    expiresAt: at().notNull(),
    lastSearchedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('match_watches_request_key').on(t.requestId), index('match_watches_user_idx').on(t.userId)],
);

/** A training-set face found for a request, in its tier; `confirmed` is the person's answer (shown tier only). */
export const requestMatches = pgTable(
  'request_matches',
  {
    id: id(),
    requestId: uuid()
      .notNull()
      .references(() => removalRequests.id),
    faceId: bigint({ mode: 'number' }).notNull(),
    itemId: uuid()
      .notNull()
      .references(() => datasetItems.id),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id),
    distance: doublePrecision().notNull(),
    tier: matchTier().notNull(),
    confirmed: boolean(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('request_matches_face_key').on(t.requestId, t.faceId), index('request_matches_item_idx').on(t.itemId)],
);

/** One (request, partner model) removal. Batched per model by the unlearn job. */
export const removalTasks = pgTable(
  'removal_tasks',
  {
    id: id(),
    requestId: uuid()
      .notNull()
      .references(() => removalRequests.id),
    modelId: uuid()
      .notNull()
      .references(() => models.id),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    status: taskStatus().notNull().default('pending'),
    /** The item ids this task removes from the model (those the model was trained on). */
    itemIds: uuid().array().notNull(),
    /** The version the items were removed from; null for a first release (awaiting_release), which has no version before it. */
    fromVersionId: uuid().references(() => modelVersions.id),
    toVersionId: uuid().references(() => modelVersions.id),
    attempts: integer().notNull().default(0),
    error: jsonb().$type<{ code: string; message: string }>(),
    updatedAt: at().notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('removal_tasks_request_model_key').on(t.requestId, t.modelId), index('removal_tasks_model_status_idx').on(t.modelId, t.status)],
);

/** A signed removal certificate (one per request and partner organisation). */
export const certificates = pgTable(
  'certificates',
  {
    id: id(),
    requestId: uuid()
      .notNull()
      .references(() => removalRequests.id),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    envelope: jsonb().$type<{ payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] }>().notNull(),
    leafIndex: integer().notNull(),
    issuedAt: at().notNull(),
    /** Copied from the signed predicate for filtering (the envelope stays the record). */
    methods: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    modelIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    datasetIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    removedItems: integer().notNull().default(0),
    /** When the person submitted the request (time to certificate = issuedAt − this). */
    submittedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('certificates_request_org_key').on(t.requestId, t.organizationId),
    uniqueIndex('certificates_leaf_key').on(t.leafIndex),
    // The compliance list's orders, each ending in the id: a page's ids come from the index alone (a deferred join).
    index('certificates_org_issued_id_idx').on(t.organizationId, t.issuedAt, t.id),
    index('certificates_issued_id_idx').on(t.issuedAt, t.id),
    index('certificates_org_items_idx').on(t.organizationId, t.removedItems, t.issuedAt, t.id),
  ],
);

/** The transparency log's leaves, in order (RFC 9162 leaf hashes, hex). Append-only. */
export const logLeaves = pgTable('log_leaves', {
  leafIndex: integer().primaryKey(),
  leafHash: text().notNull(),
  certificateId: uuid().notNull(),
  createdAt: createdAt(),
});

/**
 * The log's complete subtrees: the hash of leaves [idx · 2^level, (idx + 1) · 2^level), hex. Level 0
 * holds the leaf hashes again. Written with each append, never changed: any root and proof reads
 * O(log n) of them instead of every leaf (lib/certificates/merkle-nodes.ts).
 */
export const logNodes = pgTable(
  'log_nodes',
  {
    level: smallint().notNull(),
    idx: integer().notNull(),
    hash: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** Signed tree heads, one per log size. */
export const treeHeads = pgTable(
  'tree_heads',
  {
    size: integer().notNull(),
    rootHash: text().notNull(),
    timestamp: at().notNull(),
    keyid: text().notNull(),
    signature: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.size] })],
);

/**
 * Witnesses' cosignatures (c2sp.org/tlog-cosignature) of the log's checkpoints, by size: each a
 * signature line, kept as the witness sent it, verified against a configured witness key first.
 */
export const checkpointCosignatures = pgTable(
  'checkpoint_cosignatures',
  {
    size: integer().notNull(),
    witness: text().notNull(),
    keyId: text().notNull(),
    signedAt: at().notNull(),
    line: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.size, t.witness, t.keyId] })],
);

export type RemovalRequest = typeof removalRequests.$inferSelect;
export type RequestMatch = typeof requestMatches.$inferSelect;
export type RemovalTask = typeof removalTasks.$inferSelect;
export type Certificate = typeof certificates.$inferSelect;
