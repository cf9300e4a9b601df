import { and, asc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isoDay } from '@/lib/api/common-schemas';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { dayRange } from './date-range';
import type { ComplianceScope } from './scope';

export const auditFilterSchema = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  action: z.string().trim().max(80).optional().describe('An action, or its prefix ending with a dot (for example "request.")'),
  actorType: z.enum(['user', 'api_key', 'system']).optional(),
  subjectId: z.string().trim().max(100).optional(),
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('Events after this sequence number (the cursor).'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function auditWhere(scope: ComplianceScope, f: Omit<AuditFilter, 'limit'>): SQL | undefined {
  const { start, end } = dayRange(f.from, f.to);
  return and(
    scope.organizationId ? eq(auditEvents.organizationId, scope.organizationId) : undefined,
    start ? gte(auditEvents.at, start) : undefined,
    end ? lt(auditEvents.at, end) : undefined,
    f.action ? (f.action.endsWith('.') ? sql`${auditEvents.action} like ${f.action + '%'}` : eq(auditEvents.action, f.action)) : undefined,
    f.actorType ? eq(auditEvents.actorType, f.actorType) : undefined,
    f.subjectId ? eq(auditEvents.subjectId, f.subjectId) : undefined,
    f.after ? gt(auditEvents.seq, f.after) : undefined,
  );
}

/** Events in scope, oldest first, by sequence number (the cursor is the last `seq`). */
export async function listAuditEvents(scope: ComplianceScope, f: AuditFilter) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditEvents)
    .where(auditWhere(scope, f))
    .orderBy(asc(auditEvents.seq))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const data = (more ? rows.slice(0, f.limit) : rows).map((r) => ({
    seq: r.seq,
    id: r.id,
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    organizationId: r.organizationId,
    action: r.action,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    data: r.data,
    hash: r.hash,
  }));
  return { data, nextAfter: more ? data.at(-1)!.seq : null };
}

const CSV_COLUMNS = ['seq', 'at', 'actor_type', 'actor_id', 'organization_id', 'action', 'subject_type', 'subject_id', 'data', 'prev_hash', 'hash'] as const;

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Cells starting with = + - @ are prefixed so a spreadsheet does not run them as formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The events of a filter as CSV, streamed: pages of 1,000 by sequence number are fetched as the
 * client reads, so memory does not grow with the export.
 */
export function auditCsvStream(scope: ComplianceScope, f: Omit<AuditFilter, 'limit' | 'after'>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let after = 0;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(enc.encode(CSV_COLUMNS.join(',') + '\n'));
          return;
        }
        if (done) return controller.close();
        const db = await getDb();
        const rows = await db
          .select()
          .from(auditEvents)
          .where(auditWhere(scope, { ...f, after }))
          .orderBy(asc(auditEvents.seq))
          .limit(1000);
        if (!rows.length) {
          done = true;
          return controller.close();
        }
        after = rows.at(-1)!.seq;
        controller.enqueue(
          enc.encode(
            rows
              .map((r) =>
                [r.seq, r.at.toISOString(), r.actorType, r.actorId, r.organizationId, r.action, r.subjectType, r.subjectId, r.data, r.prevHash, r.hash]
                  .map(csvField)
                  .join(','),
              )
              .join('\n') + '\n',
          ),
        );
        if (rows.length < 1000) done = true;
      },
    },
    { highWaterMark: 1 },
  );
}
