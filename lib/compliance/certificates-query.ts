import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isoDay } from '@/lib/api/common-schemas';
import { getDb } from '@/db/client';
import { certificates, organizations } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { dayRange } from './date-range';
import type { ComplianceScope } from './scope';

export const certificateFilterSchema = z.object({
  from: isoDay.optional().describe('Issued on or after this day (UTC).'),
  to: isoDay.optional().describe('Issued on or before this day (UTC).'),
  modelId: z.uuid().optional(),
  datasetId: z.uuid().optional(),
  method: z.enum(['newton-certified', 'sisa', 'retrain']).optional(),
  q: z.string().trim().max(100).optional().describe('A certificate id or a request id (or their beginning).'),
  sort: z.enum(['issued_desc', 'issued_asc', 'items_desc', 'items_asc']).default('issued_desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type CertificateFilter = z.infer<typeof certificateFilterSchema>;

export const certificateRowSchema = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  organizationId: z.uuid(),
  organization: z.string(),
  issuedAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().nullable(),
  methods: z.array(z.string()),
  modelIds: z.array(z.string()),
  datasetIds: z.array(z.string()),
  removedItems: z.number().int(),
  leafIndex: z.number().int(),
});
export type CertificateRow = z.infer<typeof certificateRowSchema>;

function where(scope: ComplianceScope, f: CertificateFilter): SQL | undefined {
  const { start, end } = dayRange(f.from, f.to);
  const q = f.q?.toLowerCase().replace(/[^0-9a-f-]/g, '');
  return and(
    scope.organizationId ? eq(certificates.organizationId, scope.organizationId) : undefined,
    start ? gte(certificates.issuedAt, start) : undefined,
    end ? lt(certificates.issuedAt, end) : undefined,
    f.modelId ? sql`${f.modelId}::uuid = any(${certificates.modelIds})` : undefined,
    f.datasetId ? sql`${f.datasetId}::uuid = any(${certificates.datasetIds})` : undefined,
    f.method ? sql`${f.method} = any(${certificates.methods})` : undefined,
    f.q !== undefined && f.q !== ''
      ? q
        ? or(sql`${certificates.id}::text like ${q + '%'}`, sql`${certificates.requestId}::text like ${q + '%'}`)
        : sql`false`
      : undefined,
  );
}

/** A page of certificates in scope, filtered and sorted on the server, with the total count. */
export async function listCertificates(
  scope: ComplianceScope,
  f: CertificateFilter,
): Promise<{ data: CertificateRow[]; total: number; page: number; pageSize: number }> {
  const db = await getDb();
  const w = where(scope, f);
  const order = {
    issued_desc: [desc(certificates.issuedAt), desc(certificates.id)],
    issued_asc: [asc(certificates.issuedAt), asc(certificates.id)],
    items_desc: [desc(certificates.removedItems), desc(certificates.issuedAt)],
    items_asc: [asc(certificates.removedItems), desc(certificates.issuedAt)],
  }[f.sort];
  const [rows, [{ n }]] = await Promise.all([
    db
      .select({
        id: certificates.id,
        requestId: certificates.requestId,
        organizationId: certificates.organizationId,
        organization: organizations.name,
        issuedAt: certificates.issuedAt,
        submittedAt: certificates.submittedAt,
        methods: certificates.methods,
        modelIds: certificates.modelIds,
        datasetIds: certificates.datasetIds,
        removedItems: certificates.removedItems,
        leafIndex: certificates.leafIndex,
      })
      .from(certificates)
      .innerJoin(organizations, eq(organizations.id, certificates.organizationId))
      .where(w)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(certificates)
      .where(w),
  ]);
  return {
    data: rows.map((r) => ({ ...r, issuedAt: r.issuedAt.toISOString(), submittedAt: r.submittedAt?.toISOString() ?? null })),
    total: n,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** A certificate in scope, or not found. */
export async function requireCertificateInScope(scope: ComplianceScope, id: string) {
  const db = await getDb();
  const [c] = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.id, id), scope.organizationId ? eq(certificates.organizationId, scope.organizationId) : undefined));
  if (!c) throw new AppError('not_found', 'No certificate with this id exists in your scope.');
  return c;
}
