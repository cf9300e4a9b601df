import * as ops from '@/lib/api/operations';
import { createDataset } from '@/lib/datasets/create-dataset';
import { getDataset, listDatasets } from '@/lib/datasets/get-datasets';
import { requireOrganization } from '@/lib/http/org-scope';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const GET = route(ops.listDatasets, async ({ principal, query }) => listDatasets(requireOrganization(principal), query));

export const POST = route(ops.createDataset, async ({ principal, body }) => {
  const organizationId = requireOrganization(principal);
  const row = await createDataset({ organizationId, actor: auditActor(principal), input: body });
  return Response.json({ dataset: await getDataset(organizationId, row.id) }, { status: 201 });
});
