import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { intPathParam, uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';
import { acknowledgeDeployment } from '@/lib/models/deploy-version';

export const POST = route(ops.acknowledgeDeployment, async ({ principal, params }) => ({
  version: await acknowledgeDeployment({
    organizationId: requireOrganization(principal),
    actor: auditActor(principal),
    modelId: uuidPathParam(params, 'modelId'),
    version: intPathParam(params, 'version'),
  }),
}));
