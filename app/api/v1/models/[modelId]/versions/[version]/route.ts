import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { intPathParam, uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { getVersion } from '@/lib/models/get-models';

export const GET = route(ops.getVersion, async ({ principal, params }) => ({
  version: await getVersion(requireOrganization(principal), uuidPathParam(params, 'modelId'), intPathParam(params, 'version')),
}));
