import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';
import { createEndpoint, listEndpoints } from '@/lib/webhooks/endpoints';

export const GET = route(ops.listEndpoints, async ({ principal, query }) => listEndpoints(requireOrganization(principal), query));

export const POST = route(ops.createEndpoint, async ({ principal, body }) =>
  Response.json(await createEndpoint({ organizationId: requireOrganization(principal), actor: auditActor(principal), input: body }), { status: 201 }),
);
