import * as ops from '@/lib/api/operations';
import { listEmbeddingModels, registerEmbeddingModel } from '@/lib/embeddings/embedding-models';
import { requireOrganization } from '@/lib/http/org-scope';
import { auditActor } from '@/lib/http/principal';
import { route } from '@/lib/http/route';

export const GET = route(ops.listEmbeddingModels, async ({ principal }) => ({ data: await listEmbeddingModels(requireOrganization(principal)) }));

export const POST = route(ops.registerEmbeddingModel, async ({ principal, body }) => {
  const r = await registerEmbeddingModel({ organizationId: requireOrganization(principal), actor: auditActor(principal), input: body });
  return Response.json({ embeddingModel: r.embeddingModel }, { status: r.created ? 201 : 200 });
});
