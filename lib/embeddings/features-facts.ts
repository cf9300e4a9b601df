import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { embeddingModels } from '@/db/schema';
import type { Features } from '@/lib/certificates/predicate';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';

/** forgetme's own descriptor, as a certificate names it. */
export const FORGETME_FEATURES: Features = {
  source: 'forgetme',
  name: EMBEDDING_MODEL.split('@')[0],
  version: EMBEDDING_MODEL.split('@')[1],
  dimension: 128,
  trainingData: "face-api.js's published face recognition network, trained by its authors, never by forgetme and never on a partner's training set",
};

/** What a model's head was trained on, for its certificates: forgetme's descriptor, or the partner's embedding model with its statement. */
export async function featuresOf(model: { embeddingModelId: string | null }): Promise<Features> {
  if (!model.embeddingModelId) return FORGETME_FEATURES;
  const db = await getDb();
  const [m] = await db.select().from(embeddingModels).where(eq(embeddingModels.id, model.embeddingModelId));
  return { source: 'partner', name: m.name, version: m.version, dimension: m.dimension, trainingData: m.trainingData };
}
