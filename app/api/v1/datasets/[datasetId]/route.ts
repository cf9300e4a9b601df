import * as ops from '@/lib/api/operations';
import { getDataset } from '@/lib/datasets/get-datasets';
import { requireOrganization } from '@/lib/http/org-scope';
import { route } from '@/lib/http/route';
import { uuidPathParam } from '@/lib/http/path-params';

export const GET = route(ops.getDataset, async ({ principal, params }) => ({
  dataset: await getDataset(requireOrganization(principal), uuidPathParam(params, 'datasetId')),
}));
