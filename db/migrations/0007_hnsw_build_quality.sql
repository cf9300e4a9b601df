-- A better-connected HNSW graph (see faces in db/schema/datasets.ts). On a large table the rebuild
-- takes minutes (324 s for 1M faces with maintenance_work_mem = 2GB); start-up waits for it.
DROP INDEX "faces_embedding_hnsw";--> statement-breakpoint
CREATE INDEX "faces_embedding_hnsw" ON "faces" USING hnsw ("embedding" vector_l2_ops) WITH (m=16,ef_construction=128) WHERE not "faces"."removed";