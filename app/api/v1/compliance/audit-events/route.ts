import * as ops from '@/lib/api/operations';
import { listAuditEvents } from '@/lib/compliance/audit-query';
import { complianceScope } from '@/lib/compliance/scope';
import { route } from '@/lib/http/route';

export const GET = route(ops.complianceAuditEvents, async ({ principal, query }) => listAuditEvents(complianceScope(principal), query));
