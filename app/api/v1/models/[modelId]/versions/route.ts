import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { listVersions } from '@/lib/models/get-models';

export const GET = route(ops.listVersions, async ({ principal, params }) => ({
  data: await listVersions(requireOrganization(principal), uuidPathParam(params, 'modelId')),
}));
