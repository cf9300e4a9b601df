-- Secret noise (lib/unlearning/secret-noise.ts). Every version made before this migration drew its
-- noise from params.seed, which partners chose or could read: it is marked `seeded`, and the
-- runtime re-noises those models (lib/models/renoise-job.ts) before any new certificate rests on them.
CREATE TYPE "public"."model_noise_source" AS ENUM('secret', 'seeded', 'none');--> statement-breakpoint
ALTER TYPE "public"."model_version_reason" ADD VALUE 'renoise';--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "noise_source" "model_noise_source" NOT NULL DEFAULT 'seeded';--> statement-breakpoint
UPDATE "model_versions" SET "noise_source" = 'none' FROM "models" WHERE "models"."id" = "model_versions"."model_id" AND "models"."kind" = 'sisa';--> statement-breakpoint
ALTER TABLE "model_versions" ALTER COLUMN "noise_source" DROP DEFAULT;--> statement-breakpoint
-- The seed survives only as the public assignment seed it also was: the negative subsample, or SISA's shards.
UPDATE "models" SET "params" = ("params" - 'seed') || jsonb_build_object(CASE WHEN "kind" = 'sisa' THEN 'shardSeed' ELSE 'subsampleSeed' END, "params"->'seed') WHERE "params" ? 'seed';
