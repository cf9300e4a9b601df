import { and, desc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { embeddingModels, type EmbeddingModel } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { UUID } from '@/lib/http/path-params';
import type { EmbeddingModelView, RegisterEmbeddingModelInput } from './schemas';

export function embeddingModelView(m: EmbeddingModel): EmbeddingModelView {
  return { id: m.id, name: m.name, version: m.version, dimension: m.dimension, trainingData: m.trainingData, createdAt: m.createdAt.toISOString() };
}

/** The organisation's embedding model with this id; any other organisation's (or none) is not found. */
export async function requireEmbeddingModel(tx: Executor, organizationId: string, id: string): Promise<EmbeddingModel> {
  const [m] = UUID.test(id)
    ? await tx
        .select()
        .from(embeddingModels)
        .where(and(eq(embeddingModels.id, id), eq(embeddingModels.organizationId, organizationId)))
    : [];
  if (!m) throw new AppError('not_found', 'No embedding model with this id in your organisation.');
  return m;
}

/**
 * Registers a partner's embedding network. A name and version are registered once: the same
 * registration sent again returns the existing one (`created: false`); a different dimension or
 * statement under the same name and version is a conflict (register a new version).
 */
export async function registerEmbeddingModel(opts: {
  organizationId: string;
  actor: Actor;
  input: RegisterEmbeddingModelInput;
}): Promise<{ embeddingModel: EmbeddingModelView; created: boolean }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { name, version, dimension, trainingData } = opts.input;
    const [row] = await tx
      .insert(embeddingModels)
      .values({ organizationId: opts.organizationId, name, version, dimension, trainingData })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [same] = await tx
        .select()
        .from(embeddingModels)
        .where(and(eq(embeddingModels.organizationId, opts.organizationId), eq(embeddingModels.name, name), eq(embeddingModels.version, version)));
      if (same.dimension !== dimension || same.trainingData !== trainingData)
        throw new AppError(
          'conflict',
          `"${name}" version "${version}" is already registered with dimension ${same.dimension} and another statement; register a new version instead.`,
        );
      return { embeddingModel: embeddingModelView(same), created: false };
    }
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'embedding_model.registered', subject: { type: 'embedding_model', id: row.id }, data: { name, version, dimension } },
    });
    return { embeddingModel: embeddingModelView(row), created: true };
  });
}

/** An organisation's embedding models, newest first. */
export async function listEmbeddingModels(organizationId: string): Promise<EmbeddingModelView[]> {
  const db = await getDb();
  const rows = await db.select().from(embeddingModels).where(eq(embeddingModels.organizationId, organizationId)).orderBy(desc(embeddingModels.createdAt));
  return rows.map(embeddingModelView);
}
