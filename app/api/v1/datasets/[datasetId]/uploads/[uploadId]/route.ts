import * as ops from '@/lib/api/operations';
import { getIngest } from '@/lib/datasets/get-datasets';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

export const GET = route(ops.getUpload, async ({ principal, params }) => ({
  upload: await getIngest(requireOrganization(principal), uuidPathParam(params, 'datasetId'), uuidPathParam(params, 'uploadId')),
}));
