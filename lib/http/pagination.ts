import { desc, sql, type AnyColumn } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '@/lib/errors/app-error';
import { UUID } from './path-params';

/** `?limit=&cursor=` on every list. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** Lists are ordered newest first by (createdAt, id); the cursor is the last row's pair, opaque. */
export type Cursor = { at: Date; id: string };

export function encodeCursor(row: { createdAt: Date; id: string | number }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), String(row.id)])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    // Only what this API writes: an ISO instant PostgreSQL can hold, and a row id (a UUID or a sequence number).
    const year = date.getUTCFullYear();
    if (typeof at !== 'string' || Number.isNaN(date.getTime()) || year < 1970 || year > 9999) throw new Error('instant');
    if (typeof id !== 'string' || !(UUID.test(id) || /^\d{1,15}$/.test(id))) throw new Error('id');
    return { at: date, id };
  } catch {
    throw new AppError('validation_failed', 'The cursor is not one this API returned; start again without it.');
  }
}

/** Given limit+1 rows, the page and the cursor to the next one. */
export function page<T extends { createdAt: Date; id: string | number }, V>(
  rows: T[],
  limit: number,
  view: (r: T) => V,
): { data: V[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { data: shown.map(view), nextCursor: more ? encodeCursor(shown[shown.length - 1]) : null };
}

/**
 * SQL for keyset pagination on (createdAt, id), newest first. Timestamps are compared at the
 * millisecond, the precision a cursor carries, in both the order and the filter, so no row is
 * skipped or repeated.
 */
export function keyset(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor | null) {
  const at = sql`date_trunc('milliseconds', ${createdAt})`;
  return {
    where: cursor ? sql`(${at}, ${id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id})` : undefined,
    orderBy: [desc(at), desc(id)],
  };
}
