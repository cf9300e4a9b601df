import * as ops from '@/lib/api/operations';
import { listDeploymentKeys, registerDeploymentKey } from '@/lib/deployments/deployment-keys';
import { requireOrganization } from '@/lib/http/org-scope';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const GET = route(ops.listDeploymentKeys, async ({ principal }) => ({ data: await listDeploymentKeys(requireOrganization(principal)) }));

export const POST = route(ops.registerDeploymentKey, async ({ principal, body }) =>
  Response.json(
    { key: await registerDeploymentKey({ organizationId: requireOrganization(principal), actor: auditActor(principal), input: body }) },
    { status: 201 },
  ),
);
