import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { route } from '@/lib/http/route';
import { listPartnerRequests } from '@/lib/removals/partner-requests';

export const GET = route(ops.listRemovalRequests, async ({ principal, query }) => listPartnerRequests(requireOrganization(principal), query));
