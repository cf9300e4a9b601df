import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { rateLimits } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';

export type Limit = { key: string; max: number; windowSeconds: number };

/**
 * Counts one hit against a fixed window shared by every process (one atomic upsert), and returns
 * the count in the current window.
 */
export async function hitRateLimit({ key, windowSeconds }: Limit): Promise<number> {
  const db = await getDb();
  const windowExpired = sql`${rateLimits.windowStart} <= now() - make_interval(secs => ${windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${windowExpired} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${windowExpired} then now() else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count });
  return row.count;
}

/** Hits in the current window, without counting one. */
export async function peekRateLimit({ key, windowSeconds }: Limit): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(sql`${rateLimits.key} = ${key} and ${rateLimits.windowStart} > now() - make_interval(secs => ${windowSeconds})`);
  return row?.count ?? 0;
}

export async function resetRateLimit(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Throws rate_limited when the window already holds `max` hits. */
export async function assertUnderLimit(limit: Limit, message: string): Promise<void> {
  if ((await peekRateLimit(limit)) >= limit.max) {
    throw new AppError('rate_limited', message, { retryAfterSeconds: limit.windowSeconds });
  }
}
