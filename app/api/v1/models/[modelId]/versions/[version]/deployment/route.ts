import * as ops from '@/lib/api/operations';
import { acknowledgeDeployment, deploymentStatementFor } from '@/lib/deployments/acknowledge-deployment';
import { requireOrganization } from '@/lib/http/org-scope';
import { intPathParam, uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const GET = route(ops.getDeploymentStatement, async ({ principal, params }) =>
  deploymentStatementFor(requireOrganization(principal), uuidPathParam(params, 'modelId'), intPathParam(params, 'version')),
);

export const POST = route(ops.acknowledgeDeployment, async ({ principal, params, body }) => ({
  acknowledgement: await acknowledgeDeployment({
    organizationId: requireOrganization(principal),
    actor: auditActor(principal),
    modelId: uuidPathParam(params, 'modelId'),
    version: intPathParam(params, 'version'),
    envelope: body.envelope,
  }),
}));
