import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { removalRequests, removalTasks, type RemovalRequest, type RemovalTask, type RequestFailure } from '@/db/schema';

export type RequestStatus = RemovalRequest['status'];
export type TaskStatus = RemovalTask['status'];

/**
 * Every allowed move of a removal request (docs/architecture.md's lifecycle). Every writer goes
 * through moveRequest, which refuses any other move; a request leaves `failed` or
 * `partially_failed` only by an operator's retry (retry-request.ts).
 */
export const REQUEST_MOVES = {
  draft: ['matching', 'withdrawn'],
  matching: ['review', 'failed', 'withdrawn'],
  review: ['submitted', 'withdrawn'],
  submitted: ['processing', 'completed', 'partially_failed', 'failed'],
  processing: ['completed', 'partially_failed', 'failed'],
  partially_failed: ['processing'],
  failed: ['processing'],
  completed: [],
  withdrawn: [],
} as const satisfies Record<RequestStatus, readonly RequestStatus[]>;

/** Every allowed move of a model task; `unlearning → unlearning` is a further attempt. */
export const TASK_MOVES = {
  pending: ['unlearning', 'failed'],
  unlearning: ['unlearning', 'certified', 'failed'],
  awaiting_release: ['certified', 'failed'],
  certified: [],
  failed: ['pending', 'awaiting_release'],
} as const satisfies Record<TaskStatus, readonly TaskStatus[]>;

/** Task states in which work remains: a request with one of them waits (its certification runs when none is left). */
export const OPEN_TASKS = ['pending', 'unlearning', 'awaiting_release'] as const satisfies readonly TaskStatus[];

/** States in which nothing more happens without an operator: the biometric data must be gone. */
export const SETTLED: readonly RequestStatus[] = ['completed', 'partially_failed', 'failed', 'withdrawn'];

/**
 * How long a request may stay in a state (since its last activity) before the sweep acts:
 * `nudgeMs` re-queues the job that leaves it (queues are idempotent per request or model),
 * `failMs` ends it as failed (or, before submission, withdrawn as idle).
 */
export const DEADLINES: Record<RequestStatus, { nudgeMs?: number; failMs?: number }> = {
  draft: { failMs: 30 * 86400_000 },
  matching: { nudgeMs: 5 * 60_000, failMs: 60 * 60_000 },
  review: { failMs: 30 * 86400_000 },
  submitted: { nudgeMs: 10 * 60_000, failMs: 24 * 3600_000 },
  processing: { nudgeMs: 10 * 60_000, failMs: 24 * 3600_000 },
  completed: {},
  partially_failed: {},
  failed: {},
  withdrawn: {},
};

/**
 * The deadline of a submitted or processing request whose every open task waits for the first
 * release of a model still training. The training moves those tasks on (its release completes them,
 * its failure drops them), and the training sweep gives a training up to two days
 * (lib/models/training-sweep.ts, GIVE_UP_HOURS): the request waits for that, and a day more.
 */
export const AWAITING_RELEASE_FAIL_MS = 72 * 3600_000;

/** A task whose unlearning has started this often without finishing fails (the last attempt's error is kept). */
export const MAX_TASK_ATTEMPTS = 6;

export function sourcesOf<S extends string>(moves: Record<S, readonly S[]>, to: S): S[] {
  return (Object.keys(moves) as S[]).filter((from) => moves[from].includes(to));
}

export class TransitionError extends Error {
  constructor(kind: 'request' | 'task', from: string, to: string) {
    super(`a ${kind} cannot move from ${from} to ${to}`);
  }
}

export function canMove<S extends string>(moves: Record<S, readonly S[]>, from: S, to: S): boolean {
  return moves[from].includes(to);
}

type RequestFields = Partial<Pick<RemovalRequest, 'includePossible' | 'attestedAt' | 'submittedAt' | 'completedAt' | 'withdrawnAt' | 'searchScope'>> & {
  error?: RequestFailure | null;
};

/**
 * Moves a request to `to` from any state the table allows (compare-and-set: a concurrent writer
 * that got there first makes this return null), recording activity. `from` narrows the sources.
 */
export async function moveRequest(
  tx: Executor,
  requestId: string,
  to: RequestStatus,
  fields: RequestFields = {},
  from: readonly RequestStatus[] = sourcesOf(REQUEST_MOVES, to),
): Promise<RemovalRequest | null> {
  for (const f of from) if (!canMove(REQUEST_MOVES, f, to)) throw new TransitionError('request', f, to);
  if (!from.length) throw new TransitionError('request', '(nothing)', to);
  const [row] = await tx
    .update(removalRequests)
    .set({ ...fields, status: to, lastActivityAt: sql`now()` })
    .where(and(eq(removalRequests.id, requestId), inArray(removalRequests.status, [...from])))
    .returning();
  return row ?? null;
}

/** Moves the given tasks that are in a state the table allows to `to`; returns the ones moved. */
export async function moveTasks(
  tx: Executor,
  taskIds: string[],
  to: TaskStatus,
  fields: Partial<Pick<RemovalTask, 'fromVersionId' | 'toVersionId' | 'error'>> & { attempts?: number | 'next' } = {},
): Promise<RemovalTask[]> {
  if (!taskIds.length) return [];
  const { attempts, ...rest } = fields;
  const from = sourcesOf(TASK_MOVES, to);
  const rows = await tx
    .update(removalTasks)
    .set({
      ...rest,
      status: to,
      updatedAt: new Date(),
      ...(attempts === 'next' ? { attempts: sql`${removalTasks.attempts} + 1` } : attempts === undefined ? {} : { attempts }),
    })
    .where(and(inArray(removalTasks.id, taskIds), inArray(removalTasks.status, from)))
    .returning();
  if (rows.length) await touchRequests(tx, [...new Set(rows.map((t) => t.requestId))]);
  return rows;
}

/** Records activity on requests whose tasks moved (the sweep's deadlines run from the last activity). */
export async function touchRequests(tx: Executor, requestIds: string[]): Promise<void> {
  if (requestIds.length)
    await tx
      .update(removalRequests)
      .set({ lastActivityAt: sql`now()` })
      .where(inArray(removalRequests.id, requestIds));
}
