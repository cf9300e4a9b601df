import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates, models, modelVersions } from '@/db/schema';
import type { ComplianceScope } from './scope';

export type Figures = {
  removalsPerWeek: { week: string; certificates: number; photos: number }[];
  timeToCertificate: { count: number; medianSeconds: number | null; slowestSeconds: number | null };
  models: { id: string; name: string; versions: { version: number; at: string; budgetUsed: number; accuracy: number | null; reason: string }[] }[];
};

/** The console's figures at a glance, in scope. */
export async function complianceFigures(scope: ComplianceScope): Promise<Figures> {
  const db = await getDb();
  const inScope = scope.organizationId ? eq(certificates.organizationId, scope.organizationId) : undefined;
  const weeks = await db
    .select({
      week: sql<string>`to_char(date_trunc('week', ${certificates.issuedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      certificates: sql<number>`count(*)::int`,
      photos: sql<number>`coalesce(sum(${certificates.removedItems}), 0)::int`,
    })
    .from(certificates)
    .where(inScope)
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  const [t] = await db
    .select({
      count: sql<number>`count(*)::int`,
      median: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${certificates.issuedAt} - ${certificates.submittedAt}))`,
      slowest: sql<number | null>`max(extract(epoch from ${certificates.issuedAt} - ${certificates.submittedAt}))`,
    })
    .from(certificates)
    .where(and(inScope, isNotNull(certificates.submittedAt)));
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
