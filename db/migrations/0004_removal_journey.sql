CREATE TYPE "public"."match_tier" AS ENUM('shown', 'possible');--> statement-breakpoint
CREATE TYPE "public"."removal_request_status" AS ENUM('draft', 'matching', 'review', 'submitted', 'processing', 'completed', 'partially_failed', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."removal_task_status" AS ENUM('pending', 'unlearning', 'certified', 'failed');--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"envelope" jsonb NOT NULL,
	"leaf_index" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_leaves" (
	"leaf_index" integer PRIMARY KEY NOT NULL,
	"leaf_hash" text NOT NULL,
	"certificate_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "removal_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "removal_request_status" DEFAULT 'draft' NOT NULL,
	"consent_version" text,
	"consented_at" timestamp with time zone,
	"include_possible" boolean DEFAULT false NOT NULL,
	"attested_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"purged_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "removal_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"status" "removal_task_status" DEFAULT 'pending' NOT NULL,
	"item_ids" uuid[] NOT NULL,
	"from_version_id" uuid,
	"to_version_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"face_id" bigint NOT NULL,
	"item_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"distance" double precision NOT NULL,
	"tier" "match_tier" NOT NULL,
	"confirmed" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_references" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"photo_blob" text NOT NULL,
	"descriptor_sealed" text NOT NULL,
	"box" real[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tree_heads" (
	"size" integer NOT NULL,
	"root_hash" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"keyid" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "tree_heads_size_pk" PRIMARY KEY("size")
);
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_request_id_removal_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."removal_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_requests" ADD CONSTRAINT "removal_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tasks" ADD CONSTRAINT "removal_tasks_request_id_removal_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."removal_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tasks" ADD CONSTRAINT "removal_tasks_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tasks" ADD CONSTRAINT "removal_tasks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tasks" ADD CONSTRAINT "removal_tasks_from_version_id_model_versions_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tasks" ADD CONSTRAINT "removal_tasks_to_version_id_model_versions_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_matches" ADD CONSTRAINT "request_matches_request_id_removal_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."removal_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_matches" ADD CONSTRAINT "request_matches_item_id_dataset_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."dataset_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_matches" ADD CONSTRAINT "request_matches_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_references" ADD CONSTRAINT "request_references_request_id_removal_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."removal_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_request_org_key" ON "certificates" USING btree ("request_id","organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_leaf_key" ON "certificates" USING btree ("leaf_index");--> statement-breakpoint
CREATE INDEX "removal_requests_user_idx" ON "removal_requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "removal_tasks_request_model_key" ON "removal_tasks" USING btree ("request_id","model_id");--> statement-breakpoint
CREATE INDEX "removal_tasks_model_status_idx" ON "removal_tasks" USING btree ("model_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "request_matches_face_key" ON "request_matches" USING btree ("request_id","face_id");--> statement-breakpoint
CREATE INDEX "request_matches_item_idx" ON "request_matches" USING btree ("item_id");