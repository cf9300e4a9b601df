ALTER TABLE "dataset_items" ADD COLUMN "image_hash" bigint;--> statement-breakpoint
ALTER TABLE "faces" ADD COLUMN "region_hash" bigint;