import * as ops from '@/lib/api/operations';
import { auditCsvStream } from '@/lib/compliance/audit-query';
import { complianceScope } from '@/lib/compliance/scope';
import { route } from '@/lib/http/route';

/** Streamed: the server holds one page of 1,000 events at a time, whatever the export's size. */
export const GET = route(ops.complianceAuditCsv, async ({ principal, query }) => {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return new Response(auditCsvStream(complianceScope(principal), query), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="forgetme-audit-${stamp}.csv"`,
      'cache-control': 'private, no-store',
    },
  });
});
