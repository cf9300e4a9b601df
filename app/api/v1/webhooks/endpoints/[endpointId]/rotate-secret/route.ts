import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';
import { rotateEndpointSecret } from '@/lib/webhooks/endpoints';

export const POST = route(ops.rotateSecret, async ({ principal, params }) =>
  rotateEndpointSecret({ organizationId: requireOrganization(principal), actor: auditActor(principal), id: uuidPathParam(params, 'endpointId') }),
);
