import * as ops from '@/lib/api/operations';
import { revokeDeploymentKey } from '@/lib/deployments/deployment-keys';
import { requireOrganization } from '@/lib/http/org-scope';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const DELETE = route(ops.revokeDeploymentKey, async ({ principal, params }) => ({
  key: await revokeDeploymentKey({ organizationId: requireOrganization(principal), actor: auditActor(principal), keyId: params.keyId ?? '' }),
}));
