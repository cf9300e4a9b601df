import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasets, removalRequests, requestMatches } from '@/db/schema';
import { env } from '@/lib/config/env';
import type { ComplianceScope } from './scope';

export type Regime = 'gdpr' | 'ccpa' | number;

/**
 * The statutory deadline for a request received at `received`: GDPR art. 12(3), one month (the
 * same day of the next month, or its last day when that month is shorter); CCPA, 45 days; or a
 * configured number of days.
 */
export function deadlineFor(received: Date, regime: Regime = env().deadline): Date {
  if (regime === 'ccpa') return new Date(received.getTime() + 45 * 86_400_000);
  if (typeof regime === 'number') return new Date(received.getTime() + regime * 86_400_000);
  const d = new Date(received);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + 1);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export type RequestDeadline = { id: string; status: string; receivedAt: string; deadline: string; completedAt: string | null; overdue: boolean; late: boolean };

/** Submitted requests that concern the scope, newest first, with their deadline; overdue = open past it, late = completed after it. */
export async function requestDeadlines(scope: ComplianceScope, now = new Date(), limit = 200): Promise<RequestDeadline[]> {
  const db = await getDb();
  const concerned = scope.organizationId
    ? db
        .selectDistinct({ id: requestMatches.requestId })
        .from(requestMatches)
        .innerJoin(datasets, eq(datasets.id, requestMatches.datasetId))
        .where(eq(datasets.organizationId, scope.organizationId))
    : null;
  const rows = await db
    .select({ id: removalRequests.id, status: removalRequests.status, submittedAt: removalRequests.submittedAt, completedAt: removalRequests.completedAt })
    .from(removalRequests)
    .where(
      and(
        isNotNull(removalRequests.submittedAt),
        concerned ? inArray(removalRequests.id, concerned) : undefined,
        sql`${removalRequests.status} <> 'withdrawn'`,
      ),
    )
    .orderBy(desc(removalRequests.submittedAt))
    .limit(limit);
  return rows.map((r) => {
    const deadline = deadlineFor(r.submittedAt!);
    return {
      id: r.id,
      status: r.status,
      receivedAt: r.submittedAt!.toISOString(),
      deadline: deadline.toISOString(),
      completedAt: r.completedAt?.toISOString() ?? null,
      overdue: !r.completedAt && now > deadline,
      late: !!r.completedAt && r.completedAt > deadline,
    };
  });
}
