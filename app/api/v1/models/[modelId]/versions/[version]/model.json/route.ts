import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { intPathParam, uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { getVersionManifest } from '@/lib/models/get-models';

export const GET = route(ops.getVersionManifest, async ({ principal, params }) =>
  getVersionManifest(requireOrganization(principal), uuidPathParam(params, 'modelId'), intPathParam(params, 'version')),
);
