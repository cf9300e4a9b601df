import * as ops from '@/lib/api/operations';
import { ingestView, listIngests } from '@/lib/datasets/get-datasets';
import { receiveUpload } from '@/lib/datasets/receive-upload';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const GET = route(ops.listUploads, async ({ principal, params, query }) =>
  listIngests(requireOrganization(principal), uuidPathParam(params, 'datasetId'), query),
);

export const POST = route(ops.uploadItems, async ({ principal, params, request }) => {
  const organizationId = requireOrganization(principal);
  const datasetId = uuidPathParam(params, 'datasetId');
  const ingest = await receiveUpload(request, { organizationId, datasetId, actor: auditActor(principal), maxBytes: ops.uploadItems.maxBodyBytes! });
  return Response.json({ upload: ingestView(ingest) }, { status: 202 });
});
