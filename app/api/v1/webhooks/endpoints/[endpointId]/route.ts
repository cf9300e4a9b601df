import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';
import { deleteEndpoint, getEndpoint, updateEndpoint } from '@/lib/webhooks/endpoints';

export const GET = route(ops.getEndpoint, async ({ principal, params }) => ({
  endpoint: await getEndpoint(requireOrganization(principal), uuidPathParam(params, 'endpointId')),
}));

export const PATCH = route(ops.updateEndpoint, async ({ principal, params, body }) => ({
  endpoint: await updateEndpoint({
    organizationId: requireOrganization(principal),
    actor: auditActor(principal),
    id: uuidPathParam(params, 'endpointId'),
    input: body,
  }),
}));

export const DELETE = route(ops.deleteEndpoint, async ({ principal, params }) => {
  await deleteEndpoint({ organizationId: requireOrganization(principal), actor: auditActor(principal), id: uuidPathParam(params, 'endpointId') });
  return new Response(null, { status: 204 });
});
