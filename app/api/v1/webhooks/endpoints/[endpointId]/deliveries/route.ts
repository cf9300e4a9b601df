import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { listDeliveries } from '@/lib/webhooks/deliveries';

export const GET = route(ops.listDeliveries, async ({ principal, params, query }) =>
  listDeliveries(requireOrganization(principal), uuidPathParam(params, 'endpointId'), query),
);
