CREATE TYPE "public"."dataset_item_status" AS ENUM('pending', 'embedded', 'failed');--> statement-breakpoint
CREATE TABLE "dataset_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"label" text NOT NULL,
	"sha256" text NOT NULL,
	"status" "dataset_item_status" DEFAULT 'pending' NOT NULL,
	"error" jsonb,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "faces" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"face_index" integer NOT NULL,
	"box" real[] NOT NULL,
	"score" real NOT NULL,
	"embedding" vector(128) NOT NULL,
	"embedding_model" text NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faces" ADD CONSTRAINT "faces_item_id_dataset_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."dataset_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faces" ADD CONSTRAINT "faces_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_items_external_key" ON "dataset_items" USING btree ("dataset_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_items_sha256_key" ON "dataset_items" USING btree ("dataset_id","sha256");--> statement-breakpoint
CREATE INDEX "datasets_org_idx" ON "datasets" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "faces_item_face_key" ON "faces" USING btree ("item_id","face_index");--> statement-breakpoint
CREATE INDEX "faces_dataset_idx" ON "faces" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "faces_embedding_hnsw" ON "faces" USING hnsw ("embedding" vector_l2_ops) WHERE not "faces"."removed";