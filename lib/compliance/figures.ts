import { and, asc, desc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates, models, modelVersions } from '@/db/schema';
import type { ComplianceScope } from './scope';

export type Figures = {
  /** The weeks the series covers (the latest, up to now); weeks without certificates are absent. */
  weeks: number;
  removalsPerWeek: { week: string; certificates: number; photos: number }[];
  timeToCertificate: { count: number; medianSeconds: number | null; slowestSeconds: number | null };
  models: { id: string; name: string; versions: { version: number; at: string; budgetUsed: number; accuracy: number | null; reason: string }[] }[];
};

/** The weekly series covers the last WEEKS weeks; the time to certificate, the latest LATEST certificates. */
export const WEEKS = 26;
export const LATEST = 10_000;

/**
 * The console's figures at a glance, in scope: recent ones, so a view reads a bounded part of the
 * certificates whatever their number (an index range, not all of them: at a million certificates
 * the whole history took 1.5 s a view, bench/compliance-pages.ts).
 */
export async function complianceFigures(scope: ComplianceScope, { now = new Date(), latest: limit = LATEST } = {}): Promise<Figures> {
  const db = await getDb();
  const inScope = scope.organizationId ? eq(certificates.organizationId, scope.organizationId) : undefined;
  const since = new Date(now.getTime() - WEEKS * 7 * 86_400_000);
  const latest = db
    .select({ issuedAt: certificates.issuedAt, submittedAt: certificates.submittedAt })
    .from(certificates)
    .where(inScope)
    .orderBy(desc(certificates.issuedAt))
    .limit(limit)
    .as('latest');
  const weeksQuery = db
    .select({
      week: sql<string>`to_char(date_trunc('week', ${certificates.issuedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      certificates: sql<number>`count(*)::int`,
      photos: sql<number>`coalesce(sum(${certificates.removedItems}), 0)::int`,
    })
    .from(certificates)
    .where(and(inScope, gte(certificates.issuedAt, since)))
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  const timesQuery = db
    .select({
      count: sql<number>`count(*)::int`,
      median: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${latest.issuedAt} - ${latest.submittedAt}))`,
      slowest: sql<number | null>`max(extract(epoch from ${latest.issuedAt} - ${latest.submittedAt}))`,
    })
    .from(latest)
    .where(isNotNull(latest.submittedAt));
  const [weeks, [t]] = await Promise.all([weeksQuery, timesQuery]);
  const ms = await db
    .select({ id: models.id, name: models.name })
    .from(models)
    .where(scope.organizationId ? eq(models.organizationId, scope.organizationId) : undefined)
    .orderBy(asc(models.createdAt))
    .limit(8);
  const vs = ms.length
    ? await db
        .select()
        .from(modelVersions)
        .where(
          inArray(
            modelVersions.modelId,
            ms.map((m) => m.id),
          ),
        )
        .orderBy(asc(modelVersions.version))
    : [];
  return {
    weeks: WEEKS,
    removalsPerWeek: weeks,
    timeToCertificate: {
      count: t.count,
      medianSeconds: t.median === null ? null : Number(t.median),
      slowestSeconds: t.slowest === null ? null : Number(t.slowest),
    },
    models: ms.map((m) => ({
      ...m,
      versions: vs
        .filter((v) => v.modelId === m.id)
        .map((v) => ({ version: v.version, at: v.createdAt.toISOString(), budgetUsed: v.budgetUsed, accuracy: v.accuracy, reason: v.reason })),
    })),
  };
}
