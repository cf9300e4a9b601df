import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { getDelivery } from '@/lib/webhooks/deliveries';

export const GET = route(ops.getDelivery, async ({ principal, params }) => ({
  delivery: await getDelivery(requireOrganization(principal), uuidPathParam(params, 'deliveryId')),
}));
