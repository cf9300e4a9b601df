import * as ops from '@/lib/api/operations';
import { getFeatureCoverage } from '@/lib/embeddings/feature-coverage';
import { receiveFeatures } from '@/lib/embeddings/receive-features';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const GET = route(ops.getFeatureCoverage, async ({ principal, params, query }) =>
  getFeatureCoverage(requireOrganization(principal), uuidPathParam(params, 'datasetId'), query.embeddingModelId),
);

export const POST = route(ops.uploadFeatures, async ({ principal, params, request }) => {
  const organizationId = requireOrganization(principal);
  const datasetId = uuidPathParam(params, 'datasetId');
  return receiveFeatures(request, { organizationId, datasetId, actor: auditActor(principal), maxBytes: ops.uploadFeatures.maxBodyBytes! });
});
