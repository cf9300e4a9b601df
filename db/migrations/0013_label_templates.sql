CREATE TABLE "label_templates" (
	"dataset_id" uuid NOT NULL,
	"embedding_model" text NOT NULL,
	"label" text NOT NULL,
	"faces" integer NOT NULL,
	"template" vector(128) NOT NULL,
	"cohort_distance" real,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_templates_dataset_id_embedding_model_label_pk" PRIMARY KEY("dataset_id","embedding_model","label")
);
--> statement-breakpoint
ALTER TABLE "label_templates" ADD CONSTRAINT "label_templates_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "label_templates_hnsw" ON "label_templates" USING hnsw ("template" vector_l2_ops) WITH (m=16,ef_construction=128);--> statement-breakpoint
-- The templates of the labels already registered (their cohort distances are filled by the matcher).
INSERT INTO "label_templates" ("dataset_id", "embedding_model", "label", "faces", "template")
SELECT f."dataset_id", f."embedding_model", i."label", count(*)::int, avg(f."embedding")
FROM "faces" f JOIN "dataset_items" i ON i."id" = f."item_id"
WHERE NOT f."removed"
GROUP BY f."dataset_id", f."embedding_model", i."label";
