CREATE TABLE "embedding_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"dimension" integer NOT NULL,
	"training_data" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "embedding_models_dimension_range" CHECK ("embedding_models"."dimension" between 64 and 2048)
);
--> statement-breakpoint
CREATE TABLE "item_features" (
	"item_id" uuid NOT NULL,
	"embedding_model_id" uuid NOT NULL,
	"vector" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "item_features_item_id_embedding_model_id_pk" PRIMARY KEY("item_id","embedding_model_id")
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "embedding_model_id" uuid;--> statement-breakpoint
ALTER TABLE "embedding_models" ADD CONSTRAINT "embedding_models_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_features" ADD CONSTRAINT "item_features_item_id_dataset_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."dataset_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_features" ADD CONSTRAINT "item_features_embedding_model_id_embedding_models_id_fk" FOREIGN KEY ("embedding_model_id") REFERENCES "public"."embedding_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "embedding_models_org_name_version_key" ON "embedding_models" USING btree ("organization_id","name","version");--> statement-breakpoint
CREATE INDEX "item_features_model_idx" ON "item_features" USING btree ("embedding_model_id");--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_embedding_model_id_embedding_models_id_fk" FOREIGN KEY ("embedding_model_id") REFERENCES "public"."embedding_models"("id") ON DELETE no action ON UPDATE no action;