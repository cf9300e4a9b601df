import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { getModel } from '@/lib/models/get-models';

export const GET = route(ops.getModel, async ({ principal, params }) => ({
  model: await getModel(requireOrganization(principal), uuidPathParam(params, 'modelId')),
}));
