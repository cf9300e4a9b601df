import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';
import { replayDelivery } from '@/lib/webhooks/deliveries';

export const POST = route(ops.replayDelivery, async ({ principal, params }) => ({
  delivery: await replayDelivery({
    organizationId: requireOrganization(principal),
    actor: auditActor(principal),
    deliveryId: uuidPathParam(params, 'deliveryId'),
  }),
}));
