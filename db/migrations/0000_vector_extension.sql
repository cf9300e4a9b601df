-- pgvector holds face embeddings (vector(128)); drizzle-kit does not create extensions itself.
CREATE EXTENSION IF NOT EXISTS vector;
