import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';
import { createModel } from '@/lib/models/create-model';
import { getModel, listModels } from '@/lib/models/get-models';

export const GET = route(ops.listModels, async ({ principal, query }) => listModels(requireOrganization(principal), query));

export const POST = route(ops.createModel, async ({ principal, body }) => {
  const organizationId = requireOrganization(principal);
  const row = await createModel({ organizationId, actor: auditActor(principal), input: body });
  return Response.json({ model: await getModel(organizationId, row.id) }, { status: 202 });
});
