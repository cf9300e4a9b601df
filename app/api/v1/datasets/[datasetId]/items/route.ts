import * as ops from '@/lib/api/operations';
import { listItems } from '@/lib/datasets/get-datasets';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

export const GET = route(ops.listItems, async ({ principal, params, query }) =>
  listItems(requireOrganization(principal), uuidPathParam(params, 'datasetId'), query),
);
